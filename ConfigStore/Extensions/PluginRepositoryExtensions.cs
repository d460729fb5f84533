using Evergreen.ServiceDefaults.Health;
using Evergreen.ConfigStore.Git;

namespace Evergreen.ConfigStore.Extensions;

internal static class PluginRepositoryExtensions
{
    /// <summary>
    /// Binds <c>ConfigStore:Repository</c> and makes readiness depend on the plugin repository being reachable
    /// through libgit2, so a replica never reports ready when it could not sync.
    /// </summary>
    public static IHostApplicationBuilder AddPluginRepository(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PluginRepositoryOptions>().Bind(builder.Configuration.GetSection(PluginRepositoryOptions.Section));
        builder.Services.AddSingleton<IHealthInfoContributor, PluginRepositoryInfoContributor>();
        builder.Services.AddHealthChecks().AddCheck<PluginRepositoryHealthCheck>("plugin-repository", tags: ["ready"]);
        return builder;
    }
}
