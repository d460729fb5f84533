using System.Net;
using Evergreen.AgentRuntime.Admin;
using Evergreen.AgentRuntime.Api;
using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Lifecycle;
using Evergreen.AgentRuntime.Metrics;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Runs;
using Evergreen.AgentRuntime.Streaming;
using Evergreen.ServiceDefaults.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Evergreen.AgentRuntime.Extensions;

internal static class AgentRuntimeExtensions
{
    /// <summary>
    /// Registers the plugin registry (loading, reconciliation with ConfigStore, readiness until the first snapshot),
    /// runs, streaming sessions, metrics and drain. The <see cref="Agents.IAgentRunner"/> is registered separately
    /// (<c>AddAgentRunner</c>); tests replace it. Needs <c>AddServiceDefaults</c> and <c>AddRedis</c>.
    /// </summary>
    public static IHostApplicationBuilder AddAgentRuntime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => ReplicaName.From(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => RegistryOptions.From(sp.GetRequiredService<IConfiguration>()));
        services.AddServiceHttpClient<ConfigStoreClient>(ConfigStoreClient.ServiceName)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All });
        services.AddSingleton<FileContentCache>();
        services.AddSingleton<RegistryEvents>();
        services.AddSingleton<PluginRegistry>();
        services.AddSingleton<SnapshotLoader>();
        services.AddSingleton<RevisionReconciler>();
        services.AddHostedService(static sp => sp.GetRequiredService<RevisionReconciler>());
        services.AddSingleton<IHealthInfoContributor, RegistryInfoContributor>();
        services.AddHealthChecks().Add(new HealthCheckRegistration(
            "plugin-registry", static sp => ActivatorUtilities.CreateInstance<RegistryReadinessCheck>(sp), HealthStatus.Unhealthy, ["ready"]));

        services.AddSingleton<WorkTracker>();
        services.AddSingleton<OpenStreams>();
        services.AddSingleton<StreamSessions>();
        services.AddSingleton<RunMetrics>();
        services.AddSingleton<RunPreparer>();
        services.AddSingleton<RunExecutor>();
        services.AddSingleton<StreamingApi.SessionFactory>();
        services.AddSingleton<RuntimeDrain>();
        services.AddHostedService(static sp => sp.GetRequiredService<RuntimeDrain>());
        return builder;
    }

    /// <summary>Maps the agent API (<c>/v1/…</c>) and the admin API, and tags every response with the Evergreen headers.</summary>
    public static WebApplication MapAgentRuntimeApi(this WebApplication app)
    {
        app.UseEvergreenHeaders();
        app.MapPluginsApi();
        app.MapAgentsApi();
        app.MapStreamingApi();
        app.MapFeedbackApi();
        app.MapEventsApi();
        app.MapRuntimeAdminApi();
        return app;
    }
}
