using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Redis;

/// <summary><c>AddRedis</c>, as in Aspire, backed by the machine's <c>redis-server</c>.</summary>
public static class RedisBuilderExtensions
{
    /// <summary>Adds a private Redis server on <paramref name="port"/> (overridable with <c>Ports:&lt;name&gt;</c>).</summary>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int port = 6380) =>
        builder.AddResource(new RedisResource(name, port));
}
