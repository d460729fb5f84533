namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>The model verbs shared by every resource kind: references, ordering, environment, health.</summary>
public static class ResourceBuilderExtensions
{
    /// <summary>Starts this resource only after <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> dependency)
        where T : Resource
    {
        foreach (var resource in dependency.Resource.WaitTargets)
        {
            builder.Resource.AddWaitFor(resource);
        }

        return builder;
    }

    /// <summary>
    /// Gives this resource the address of <paramref name="source"/>: <c>ConnectionStrings__&lt;name&gt;</c> for a database or
    /// cache, <c>services__&lt;name&gt;__http__0</c> for a service (one variable per replica).
    /// </summary>
    /// <param name="builder">The resource that receives the variables.</param>
    /// <param name="source">The resource referenced.</param>
    /// <param name="connectionName">The name under <c>ConnectionStrings</c>; null uses the source's own.</param>
    public static IResourceBuilder<T> WithReference<T>(this IResourceBuilder<T> builder, IResourceBuilder<Resource> source, string? connectionName = null)
        where T : Resource, IResourceWithEnvironment
    {
        switch (source.Resource)
        {
            case IResourceWithConnectionString withConnection:
                var key = $"ConnectionStrings__{connectionName ?? withConnection.ConnectionName}";
                builder.Resource.AddEnvironmentCallback(env => env[key] = withConnection.GetConnectionString());
                break;
            case IResourceWithServiceEndpoints withEndpoints:
                builder.Resource.AddEnvironmentCallback(env =>
                {
                    foreach (var (serviceName, url) in withEndpoints.GetServiceEndpoints())
                    {
                        env[$"services__{serviceName}__http__0"] = url.ToString().TrimEnd('/');
                    }
                });
                break;
            default:
                throw new ArgumentException($"Resource '{source.Resource.Name}' ({source.Resource.Kind}) cannot be referenced: it has neither a connection string nor a service endpoint.", nameof(source));
        }

        return builder;
    }

    /// <summary>Sets one environment variable, computed at each start so it can use resolved ports.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, Func<string?> value)
        where T : Resource, IResourceWithEnvironment
    {
        builder.Resource.AddEnvironmentCallback(env => env[name] = value());
        return builder;
    }

    /// <summary>Sets one environment variable to a fixed value.</summary>
    public static IResourceBuilder<T> WithEnvironment<T>(this IResourceBuilder<T> builder, string name, string? value)
        where T : Resource, IResourceWithEnvironment
        => builder.WithEnvironment(name, () => value);

    /// <summary>Sets the time between SIGTERM and SIGKILL when this resource is stopped or restarted.</summary>
    public static IResourceBuilder<T> WithGracePeriod<T>(this IResourceBuilder<T> builder, TimeSpan gracePeriod)
        where T : Resource
    {
        builder.Resource.GracePeriod = gracePeriod;
        return builder;
    }
}
