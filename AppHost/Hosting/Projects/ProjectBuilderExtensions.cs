using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Projects;

/// <summary>Adds service projects to the model: <c>AddProject&lt;Projects.X&gt;</c>, <c>WithReplicas</c>, <c>WithHttpHealthCheck</c>.</summary>
public static class ProjectBuilderExtensions
{
    /// <summary>
    /// Adds a service project listening on <paramref name="port"/> (overridable with <c>Ports:&lt;name&gt;</c>).
    /// Every project gets the admin token (<c>Evergreen__AdminToken</c>) and, when configured, the OTLP endpoint.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name, int port)
        where TProject : IProjectMetadata, new()
    {
        var project = new ProjectResource(name, new TProject(), port);
        project.AddEnvironmentCallback(env =>
        {
            env["Evergreen__AdminToken"] = builder.AdminToken;
            if (builder.OtlpEndpoint is { Length: > 0 } otlp)
            {
                env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            }
        });
        return builder.AddResource(project);
    }

    /// <summary>Runs the project as one process per name, e.g. <c>WithReplicas("blue", "green")</c> → <c>agentruntime-blue</c>, <c>agentruntime-green</c>; each gets <c>Evergreen__Replica</c>.</summary>
    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, params string[] replicaNames)
    {
        builder.Resource.SetReplicas(replicaNames);
        return builder;
    }

    /// <summary>
    /// Gives the project the launcher's control API as <c>services__apphost__http__0</c>: the replica controller that
    /// restarts replicas gracefully (the UpgradeOrchestrator's rolling restarts use it).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithControlApiReference(this IResourceBuilder<ProjectResource> builder)
    {
        var application = builder.ApplicationBuilder;
        builder.Resource.AddEnvironmentCallback(env => env["services__apphost__http__0"] = application.ControlApiUrl.ToString().TrimEnd('/'));
        return builder;
    }

    /// <summary>Counts the project healthy only while <paramref name="path"/> answers 2xx.</summary>
    public static IResourceBuilder<ProjectResource> WithHttpHealthCheck(this IResourceBuilder<ProjectResource> builder, string path)
    {
        builder.Resource.HealthCheckPath = path;
        return builder;
    }
}
