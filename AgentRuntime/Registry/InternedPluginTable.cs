using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// The distinct plugins of the loaded revisions, found by their exact JSON bytes: a snapshot being loaded looks up each
/// plugin's slice here and reuses the parsed, validated object when the bytes are identical. Lookups by span do not
/// allocate. Immutable once built, so it lives in <see cref="RegistryState"/> and is read without locks.
/// </summary>
internal sealed class InternedPluginTable
{
    public static readonly InternedPluginTable Empty = new(new HashSet<InternedPlugin>(JsonComparer.Instance), []);

    private readonly HashSet<InternedPlugin> _plugins;
    private readonly HashSet<InternedPlugin>.AlternateLookup<ReadOnlySpan<byte>> _byJson;

    private InternedPluginTable(HashSet<InternedPlugin> plugins, ImmutableArray<InternedPlugin> latest)
    {
        _plugins = plugins;
        _byJson = _plugins.GetAlternateLookup<ReadOnlySpan<byte>>();
        Latest = latest;
    }

    public int Count => _plugins.Count;

    /// <summary>Every distinct plugin of the table.</summary>
    public IEnumerable<InternedPlugin> Plugins => _plugins;

    /// <summary>
    /// The plugins of the revision added last, in catalog order: the next snapshot most likely holds the same ones at the
    /// same positions, so the loader tries them first (one byte comparison each) before finding and looking up a slice.
    /// </summary>
    public ImmutableArray<InternedPlugin> Latest { get; }

    /// <summary>
    /// The table of every plugin of <paramref name="revisions"/> (most recent first); the first of byte-identical plugins
    /// wins, and <see cref="Latest"/> is the first revision's.
    /// </summary>
    public static InternedPluginTable Of(IReadOnlyList<LoadedRevision> revisions) =>
        new(new HashSet<InternedPlugin>(revisions.SelectMany(r => r.Plugins), JsonComparer.Instance), revisions.Count > 0 ? revisions[0].Plugins : []);

    /// <summary>A new table with this one's plugins and those of <paramref name="revision"/> (this one is left unchanged).</summary>
    public InternedPluginTable With(LoadedRevision revision)
    {
        var plugins = new HashSet<InternedPlugin>(_plugins, JsonComparer.Instance); // same comparer: copies without rehashing
        foreach (var plugin in revision.Plugins)
        {
            plugins.Add(plugin);
        }

        return new InternedPluginTable(plugins, revision.Plugins);
    }

    public bool TryGet(ReadOnlySpan<byte> json, [MaybeNullWhen(false)] out InternedPlugin plugin) =>
        _byJson.TryGetValue(json, out plugin);

    /// <summary>True when this very object is in the table (it came from a loaded revision, so it passed validation).</summary>
    public bool Contains(InternedPlugin plugin) => _plugins.TryGetValue(plugin, out var held) && ReferenceEquals(held, plugin);

    /// <summary>Equality of the JSON bytes; the alternate side compares a span with a plugin's bytes without allocating.</summary>
    private sealed class JsonComparer : IEqualityComparer<InternedPlugin>, IAlternateEqualityComparer<ReadOnlySpan<byte>, InternedPlugin>
    {
        public static readonly JsonComparer Instance = new();

        public bool Equals(InternedPlugin? x, InternedPlugin? y) =>
            ReferenceEquals(x, y) || (x is not null && y is not null && x.JsonHash == y.JsonHash && x.Json.AsSpan().SequenceEqual(y.Json));

        public int GetHashCode(InternedPlugin obj) => obj.JsonHash;

        public bool Equals(ReadOnlySpan<byte> alternate, InternedPlugin other) => alternate.SequenceEqual(other.Json);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => InternedPlugin.HashOf(alternate);

        // Only reached by adding through the span lookup, which this table never does: a plugin exists only once parsed.
        public InternedPlugin Create(ReadOnlySpan<byte> alternate) =>
            throw new NotSupportedException("An interned plugin is created from its parsed definition, never from bytes alone.");
    }
}
