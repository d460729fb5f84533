using Evergreen.ConfigStore.Plugins;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>The limits on proposals: <c>ConfigStore:Proposals</c>.</summary>
internal sealed record ProposalOptions
{
    public const string Section = "ConfigStore:Proposals";

    /// <summary>The largest content of one proposed file, in UTF-8 bytes; the loader's own limit by default (1 MiB).</summary>
    public int MaxFileBytes { get; init; } = PluginLoadOptions.DefaultMaxFileBytes;

    /// <summary>The largest total content of one proposal, in UTF-8 bytes (default 4 MiB).</summary>
    public int MaxTotalBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many proposals one agent may make in any hour (default 5).</summary>
    public int MaxPerHour { get; init; } = 5;

    /// <summary>
    /// Per-agent overrides of <see cref="MaxPerHour"/>, keyed by plugin then agent, which is how the <c>:</c> of a
    /// qualified name reads in configuration: <c>ConfigStore:Proposals:RateLimits:reviewer:checker = 10</c>
    /// (env <c>ConfigStore__Proposals__RateLimits__reviewer__checker</c>).
    /// </summary>
    public Dictionary<string, Dictionary<string, int>> RateLimits { get; init; } = [];

    public int MaxPerHourFor(string plugin, string agent) =>
        RateLimits.TryGetValue(plugin, out var agents) && agents.TryGetValue(agent, out var limit) ? limit : MaxPerHour;
}
