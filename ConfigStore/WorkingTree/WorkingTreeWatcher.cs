using System.Threading.Channels;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.WorkingTree;

/// <summary>
/// When <see cref="PluginRepositoryOptions.WatchWorkingTree"/> is set: watches that working tree (not its <c>.git/</c>),
/// and once edits have been quiet for <see cref="Debounce"/> commits them all (<see cref="WorkingTreeCommitter"/>) and
/// syncs, so a saved file becomes a revision in about a second and a burst of saves becomes one commit. Edits made
/// while ConfigStore was stopped are committed at start. Does nothing when the option is not set.
/// </summary>
internal sealed class WorkingTreeWatcher(
    IOptionsMonitor<PluginRepositoryOptions> options,
    RevisionSyncService sync,
    DatabaseMigrationState migrations,
    TimeProvider time,
    ILogger<WorkingTreeWatcher> logger)
    : BackgroundService
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    // A steady stream of edits (a generator writing files) still gets committed this often.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var repository = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(repository.WatchWorkingTree))
        {
            return Task.CompletedTask;
        }

        // Refuse to start on a misconfiguration rather than commit where the sync never looks.
        if (!string.IsNullOrWhiteSpace(repository.Url))
        {
            throw new InvalidOperationException(
                "ConfigStore:Repository:Url and ConfigStore:Repository:WatchWorkingTree are both set. Set only one: Url to track a remote, WatchWorkingTree to commit a local working tree's edits.");
        }

        if (LibGit2NativeCheck.Check() is { Ok: false } native)
        {
            throw new InvalidOperationException(native.Message);
        }

        var path = Path.GetFullPath(repository.WatchWorkingTree);
        var branch = WorkingTreeCommitter.CheckedOutBranch(path);
        if (branch != repository.Branch)
        {
            throw new InvalidOperationException(
                $"The watched working tree {path} has branch '{branch}' checked out, but ConfigStore tracks '{repository.Branch}'. Check out {repository.Branch} there, or set ConfigStore:Repository:Branch to {branch}.");
        }

        Log.Watching(logger, path, branch, Debounce);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = Path.GetFullPath(options.CurrentValue.WatchWorkingTree!);
        using var watcher = new FileSystemWatcher(path)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        watcher.Changed += (_, e) => OnChange(path, e.FullPath);
        watcher.Created += (_, e) => OnChange(path, e.FullPath);
        watcher.Deleted += (_, e) => OnChange(path, e.FullPath);
        watcher.Renamed += (_, e) => OnChange(path, e.FullPath);
        watcher.Error += (_, e) =>
        {
            Log.WatcherError(logger, e.GetException().Message);
            _changes.Writer.TryWrite(true);
        };
        watcher.EnableRaisingEvents = true;
        _changes.Writer.TryWrite(true);

        try
        {
            await migrations.WaitForCompletionAsync(stoppingToken);
            while (await _changes.Reader.WaitToReadAsync(stoppingToken))
            {
                _changes.Reader.TryRead(out _);
                await WaitForQuietAsync(stoppingToken);
                await CommitAndSyncAsync(path, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (MigrationException)
        {
            // The migrator stops the application and says why.
        }
    }

    private void OnChange(string root, string fullPath)
    {
        var relative = Path.GetRelativePath(root, fullPath);
        if (relative == ".git" || relative.StartsWith(".git" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return;
        }

        _changes.Writer.TryWrite(true);
    }

    /// <summary>Returns once no change arrived for <see cref="Debounce"/>, or <see cref="MaxDelay"/> after the first.</summary>
    private async Task WaitForQuietAsync(CancellationToken stoppingToken)
    {
        var deadline = time.GetUtcNow() + MaxDelay;
        while (true)
        {
            var wait = deadline - time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                return;
            }

            using var quiet = new CancellationTokenSource(wait < Debounce ? wait : Debounce, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, quiet.Token);
            try
            {
                await _changes.Reader.ReadAsync(linked.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task CommitAndSyncAsync(string path, CancellationToken stoppingToken)
    {
        try
        {
            if (WorkingTreeCommitter.CommitAll(path, time.GetUtcNow()) is { } commit)
            {
                Log.Committed(logger, commit);
                await sync.RequestSyncAsync(stoppingToken);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // Often a git command of the user's holding index.lock: try again, whether or not more edits come.
            Log.CommitFailed(logger, RetryDelay, ex.Message, ex);
            _ = RetryLaterAsync(stoppingToken);
        }
    }

    private async Task RetryLaterAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay, time, stoppingToken);
            _changes.Writer.TryWrite(true);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
