using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>Settings of the plugin registry, section <c>AgentRuntime:Registry</c>.</summary>
internal sealed record RegistryOptions
{
    public const string Section = "AgentRuntime:Registry";

    /// <summary>How many revisions stay in memory for instant rollback, the active one included. Default 10.</summary>
    public int KeepRevisions { get; init; } = 10;

    /// <summary>How often the runtime asks ConfigStore for the desired revision, whatever Redis says. Default 30 s.</summary>
    public TimeSpan ReconcileInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How soon a failed first load is retried while nothing is active. Default 2 s.</summary>
    public TimeSpan StartupRetryInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A revision to pin at start; null follows the latest valid revision.</summary>
    public string? PinnedRevision { get; init; }

    public static RegistryOptions From(IConfiguration configuration)
    {
        var defaults = new RegistryOptions();
        var pinned = configuration[$"{Section}:PinnedRevision"];
        return new RegistryOptions
        {
            KeepRevisions = ConfigurationValues.GetInt32(configuration, $"{Section}:KeepRevisions", defaults.KeepRevisions, 1, 1000),
            ReconcileInterval = ConfigurationValues.GetDuration(configuration, $"{Section}:ReconcileInterval", defaults.ReconcileInterval, mustBePositive: true),
            StartupRetryInterval = ConfigurationValues.GetDuration(configuration, $"{Section}:StartupRetryInterval", defaults.StartupRetryInterval, mustBePositive: true),
            PinnedRevision = string.IsNullOrWhiteSpace(pinned) ? null : pinned.Trim(),
        };
    }
}
