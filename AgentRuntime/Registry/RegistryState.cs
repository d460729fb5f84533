using System.Collections.Immutable;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// What the registry holds at one moment: the active revision, the revisions kept in memory (most recently active
/// first, the active one included), their plugins by JSON, and the activation history. Immutable; replaced as a whole.
/// </summary>
internal sealed record RegistryState
{
    public static readonly RegistryState Empty = new();

    public LoadedRevision? Active { get; init; }

    public ImmutableArray<LoadedRevision> Loaded { get; init; } = [];

    public ImmutableArray<ActivationRecord> History { get; init; } = [];

    /// <summary>The distinct plugins of <see cref="Loaded"/> by their JSON bytes, for the next snapshot to reuse.</summary>
    public InternedPluginTable Interned { get; init; } = InternedPluginTable.Empty;

    public LoadedRevision? FindLoaded(string id) => Loaded.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase));
}

/// <summary>One activation: which revision, how it became active, when, and how long it took to load.</summary>
internal sealed record ActivationRecord(string Revision, string? Previous, ActivationKind Kind, DateTimeOffset At, TimeSpan LoadDuration, bool FromMemory);

/// <summary>How a revision became active.</summary>
internal enum ActivationKind
{
    Activated,
    RolledBack,
}
