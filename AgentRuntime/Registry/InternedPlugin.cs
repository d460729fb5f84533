using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A plugin together with the exact JSON bytes it was parsed from. A later snapshot whose plugin JSON is byte-identical
/// reuses this very object (and its strings), so loaded revisions share every unchanged plugin. Keyed by the bytes
/// themselves rather than a digest of them, so two different plugins can never be taken for one. Immutable.
/// </summary>
internal sealed class InternedPlugin
{
    public InternedPlugin(byte[] json, PluginDefinition plugin)
    {
        Json = json;
        JsonHash = HashOf(json);
        Plugin = plugin;
    }

    /// <summary>The plugin's JSON exactly as it appeared in its snapshot. Never mutated.</summary>
    public byte[] Json { get; }

    /// <summary>A non-cryptographic hash of <see cref="Json"/> (per process), kept so lookup tables are rebuilt without rehashing.</summary>
    public int JsonHash { get; }

    public PluginDefinition Plugin { get; }

    public static int HashOf(ReadOnlySpan<byte> json)
    {
        var hash = default(HashCode);
        hash.AddBytes(json);
        return hash.ToHashCode();
    }
}
