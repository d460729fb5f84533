using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Plugins;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// What the sync keeps from one commit to the next so that a small commit costs little: the trees and blobs it read (by
/// git id) and the plugin builds of unchanged folders. Every part gives exactly what a cold read would, so a restart (an
/// empty cache) changes only the time the first sync takes. Used by one sync at a time.
/// </summary>
internal sealed class RevisionBuildCache
{
    public GitTreeCache Trees { get; } = new();

    public PluginBuildCache Plugins { get; } = new();
}
