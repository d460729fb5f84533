using Evergreen.ConfigStore.Git;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Told after each sync stored what was new, on the sync's own loop (one call at a time), with the fetched branch and
/// its mirror, which it may read but not keep. A failure fails that sync's request; the next sync calls it again.
/// </summary>
internal interface IRevisionSyncListener
{
    Task OnSyncedAsync(FetchedBranch fetched, CancellationToken cancellationToken);
}
