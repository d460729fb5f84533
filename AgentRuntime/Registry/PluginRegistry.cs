using System.Collections.Immutable;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// The double-buffered registry: the active revision sits in one immutable <see cref="RegistryState"/> behind one
/// field, replaced by a single reference exchange. A request reads <see cref="Active"/> once and keeps that revision
/// to its end; a swap never changes what a running request sees. Thread-safe; readers never lock.
/// </summary>
internal sealed class PluginRegistry(RegistryOptions options, FileContentCache files, RegistryEvents events, TimeProvider timeProvider)
{
    private const int MaxHistory = 100;
    private readonly Lock _writeLock = new();
    private RegistryState _state = RegistryState.Empty;

    public RegistryState State => Volatile.Read(ref _state);

    /// <summary>The revision a new request should capture; null until the first snapshot is loaded.</summary>
    public LoadedRevision? Active => State.Active;

    /// <summary>Makes <paramref name="revision"/> active, keeping the previous ones for rollback.</summary>
    public ActivationRecord Activate(LoadedRevision revision, ActivationKind kind, bool fromMemory)
    {
        ActivationRecord record;
        RegistryState next;
        bool evicted;
        lock (_writeLock)
        {
            var current = _state;
            record = new ActivationRecord(revision.Id, current.Active?.Id, kind, timeProvider.GetUtcNow(), revision.LoadDuration, fromMemory);
            var loaded = current.Loaded.RemoveAll(r => r.Id == revision.Id).Insert(0, revision);
            if (loaded.Length > options.KeepRevisions)
            {
                loaded = loaded.RemoveRange(options.KeepRevisions, loaded.Length - options.KeepRevisions);
            }

            // Rebuilt only when a revision leaves memory; otherwise extended by the new revision or, for a rollback, kept.
            evicted = current.Loaded.Any(r => !loaded.Contains(r));
            var interned = evicted ? InternedPluginTable.Of(loaded)
                : current.Loaded.Contains(revision) ? current.Interned
                : current.Interned.With(revision);
            var history = current.History.Insert(0, record);
            next = current with
            {
                Active = revision,
                Loaded = loaded,
                Interned = interned,
                History = history.Length > MaxHistory ? history.RemoveRange(MaxHistory, history.Length - MaxHistory) : history,
            };
            Volatile.Write(ref _state, next);
        }

        if (evicted)
        {
            // Only an evicted revision can leave file contents unreferenced; the distinct plugins cover every loaded revision.
            files.Retain(next.Interned.Plugins.SelectMany(p => p.Plugin.Files).Select(f => f.Hash));
        }

        events.Publish(record);
        return record;
    }

    /// <summary>The plugins of every loaded revision by their JSON bytes, so a new snapshot reuses unchanged ones. Built at activation.</summary>
    public InternedPluginTable InternedPlugins() => State.Interned;

    /// <summary>The revision <paramref name="steps"/> activations back among those in memory, or null.</summary>
    public LoadedRevision? StepsBack(int steps)
    {
        var loaded = State.Loaded;
        return steps >= 1 && steps < loaded.Length ? loaded[steps] : null;
    }

    public ImmutableArray<LoadedRevision> Loaded => State.Loaded;
}
