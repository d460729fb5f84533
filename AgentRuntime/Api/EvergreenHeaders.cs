using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Registry;
using Evergreen.AgentRuntime.Runs;

namespace Evergreen.AgentRuntime.Api;

/// <summary>
/// Adds <c>X-Evergreen-Replica</c>, <c>X-Evergreen-Revision</c> (the revision the request captured, else the active one)
/// and <c>X-Evergreen-Run-Id</c> (when the request has a run) to every response.
/// </summary>
internal static class EvergreenHeaders
{
    public const string Replica = "X-Evergreen-Replica";
    public const string Revision = "X-Evergreen-Revision";
    public const string RunId = "X-Evergreen-Run-Id";

    public static IApplicationBuilder UseEvergreenHeaders(this IApplicationBuilder app)
    {
        var replica = app.ApplicationServices.GetRequiredService<ReplicaName>().Value;
        var registry = app.ApplicationServices.GetRequiredService<PluginRegistry>();
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var (http, replicaName, plugins) = ((HttpContext, string, PluginRegistry))state;
                var headers = http.Response.Headers;
                headers[Replica] = replicaName;
                var run = http.Features.Get<RunFeature>();
                if ((run?.Revision ?? plugins.Active?.Id) is { } revision)
                {
                    headers[Revision] = revision;
                }

                if (run?.RunId is { } runId)
                {
                    headers[RunId] = runId;
                }

                return Task.CompletedTask;
            }, (context, replica, registry));
            return next(context);
        });
    }
}
