namespace Evergreen.ConfigStore.WorkingTree;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Watching the working tree {Path} (branch {Branch}); edits are committed after {Debounce} of quiet.")]
    public static partial void Watching(ILogger logger, string path, string branch, TimeSpan debounce);

    [LoggerMessage(2, LogLevel.Information, "Committed the working tree's changes as {CommitId}.")]
    public static partial void Committed(ILogger logger, string commitId);

    [LoggerMessage(3, LogLevel.Warning, "Committing or syncing the working tree's changes failed; retrying at the next change or in {Retry}: {Error}")]
    public static partial void CommitFailed(ILogger logger, TimeSpan retry, string error, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "The working tree watcher lost events ({Error}); committing whatever changed.")]
    public static partial void WatcherError(ILogger logger, string error);
}
