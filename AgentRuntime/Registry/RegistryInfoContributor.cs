using Evergreen.AgentRuntime.Hosting;
using Evergreen.AgentRuntime.Lifecycle;
using Evergreen.AgentRuntime.Streaming;
using Evergreen.ServiceDefaults.Health;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>The runtime's entries in <c>/health/info</c>: revision, mode, runs, streams, last reload and last failure.</summary>
internal sealed class RegistryInfoContributor(
    PluginRegistry registry, RevisionReconciler reconciler, WorkTracker work, OpenStreams streams, ReplicaName replica) : IHealthInfoContributor
{
    public void Contribute(IDictionary<string, object?> info)
    {
        var state = registry.State;
        var lastActivation = state.History.IsEmpty ? null : state.History[0];
        info["replica"] = replica.Value;
        info["revision"] = state.Active?.Id;
        info["mode"] = reconciler.Desired.Mode;
        info["desiredRevision"] = reconciler.Desired.Revision;
        info["pluginCount"] = state.Active?.Catalog.Plugins.Count;
        info["loadedRevisions"] = state.Loaded.Length;
        info["runsInProgress"] = work.Count;
        info["openStreams"] = streams.Count;
        info["lastReload"] = lastActivation is null ? null : new
        {
            revision = lastActivation.Revision,
            kind = lastActivation.Kind == ActivationKind.RolledBack ? "rolled-back" : "activated",
            at = lastActivation.At,
            durationMs = Math.Round(lastActivation.LoadDuration.TotalMilliseconds, 3),
            fromMemory = lastActivation.FromMemory,
        };
        info["lastLoadFailure"] = reconciler.LastFailure;
    }
}
