using Evergreen.ServiceDefaults.Health;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Git;

/// <summary>Shows in <c>/health/info</c> which repository and branch this ConfigStore tracks and which libgit2 it loaded.</summary>
internal sealed class PluginRepositoryInfoContributor(IOptionsMonitor<PluginRepositoryOptions> options) : IHealthInfoContributor
{
    public void Contribute(IDictionary<string, object?> info)
    {
        info["repository"] = options.CurrentValue.SourceUrl;
        info["watchingWorkingTree"] = !string.IsNullOrWhiteSpace(options.CurrentValue.WatchWorkingTree);
        info["branch"] = options.CurrentValue.Branch;
        info["libgit2"] = LibGit2NativeCheck.Check().NativeVersion;
    }
}
