namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>Adds secrets to the model and hands them to services as environment variables.</summary>
public static class SecretParameterExtensions
{
    /// <summary>A secret named <paramref name="name"/>: <c>Parameters:&lt;name&gt;</c> when configured, else generated per run.</summary>
    public static SecretParameter AddSecretParameter(this IDistributedApplicationBuilder builder, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new SecretParameter(name, builder.Configuration[$"Parameters:{name}"]);
    }

    /// <summary>Sets the environment variable <paramref name="variable"/> to the secret's value.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string variable, SecretParameter secret)
        where T : Resource, IResourceWithEnvironment
        => builder.WithEnvironment(variable, () => secret.Value);
}
