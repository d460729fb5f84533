namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>The fluent handle <c>Add*</c> methods return, as in Aspire: extension methods configure <see cref="Resource"/>.</summary>
/// <typeparam name="T">The resource type.</typeparam>
public interface IResourceBuilder<out T> where T : Resource
{
    /// <summary>The builder of the whole model.</summary>
    IDistributedApplicationBuilder ApplicationBuilder { get; }

    /// <summary>The resource being configured.</summary>
    T Resource { get; }
}

internal sealed class ResourceBuilder<T>(IDistributedApplicationBuilder applicationBuilder, T resource) : IResourceBuilder<T>
    where T : Resource
{
    public IDistributedApplicationBuilder ApplicationBuilder { get; } = applicationBuilder;

    public T Resource { get; } = resource;
}
