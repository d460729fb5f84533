using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A plugin together with the SHA-256 of its snapshot JSON. A later snapshot whose plugin JSON hashes the same reuses
/// this very object (and its strings), so loaded revisions share every unchanged plugin.
/// </summary>
internal sealed record InternedPlugin(string JsonHash, PluginDefinition Plugin);
