using Evergreen.ConfigStore.WorkingTree;

namespace Evergreen.ConfigStore.Extensions;

internal static class WorkingTreeExtensions
{
    /// <summary>
    /// Registers the watcher of <c>ConfigStore:Repository:WatchWorkingTree</c> (idle when that is not set).
    /// Needs <c>AddPluginRepository</c> and <c>AddRevisions</c>.
    /// </summary>
    public static IHostApplicationBuilder AddWorkingTreeWatch(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHostedService<WorkingTreeWatcher>();
        return builder;
    }
}
