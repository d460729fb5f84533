using System.Threading.Channels;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Revisions;
using Evergreen.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Syncs the tracked branch into revisions, one sync at a time: on start (after the migrations), every
/// <see cref="PluginRepositoryOptions.PollInterval"/>, and on <see cref="RequestSyncAsync"/>. Requests made while a sync
/// is waiting to start share it; a request made while a sync runs gets the next one, so it always sees commits pushed
/// before it was made.
/// </summary>
internal sealed class RevisionSyncService(
    IOptionsMonitor<PluginRepositoryOptions> options,
    RevisionStore store,
    RevisionOutboxPublisher publisher,
    SyncProgress progress,
    DatabaseMigrationState migrations,
    IEnumerable<IRevisionSyncListener> listeners,
    TimeProvider time,
    ILogger<RevisionSyncService> logger)
    : BackgroundService
{
    private readonly Channel<TaskCompletionSource<SyncResult>> _requests =
        Channel.CreateUnbounded<TaskCompletionSource<SyncResult>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly Lock _gate = new();
    private readonly RevisionBuildCache _cache = new();
    private TaskCompletionSource<SyncResult>? _pending;

    /// <summary>Completes with the result of a sync that starts after this call; fails when that sync fails.</summary>
    public Task<SyncResult> RequestSyncAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource<SyncResult> pending;
        lock (_gate)
        {
            if (_pending is null)
            {
                _pending = new TaskCompletionSource<SyncResult>(TaskCreationOptions.RunContinuationsAsynchronously);
                _requests.Writer.TryWrite(_pending);
            }

            pending = _pending;
        }

        return pending.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WaitForCompletionAsync(stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (MigrationException)
        {
            return;
        }

        _ = ObserveAsync(RequestSyncAsync(stoppingToken));
        var polling = PollAsync(stoppingToken);
        try
        {
            await foreach (var request in _requests.Reader.ReadAllAsync(stoppingToken))
            {
                lock (_gate)
                {
                    if (ReferenceEquals(_pending, request))
                    {
                        _pending = null;
                    }
                }

                try
                {
                    var result = await SyncOnceAsync(stoppingToken);
                    progress.Completed(time.GetUtcNow());
                    request.TrySetResult(result);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    request.TrySetCanceled(stoppingToken);
                    break;
                }
                catch (Exception ex)
                {
                    Log.SyncFailed(logger, ex.Message, ex);
                    progress.Failed(ex.Message);
                    request.TrySetException(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await polling;
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.CurrentValue.PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await ObserveAsync(RequestSyncAsync(stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Failures are logged by the loop; a trigger nobody waits on must not leave an unobserved exception.
    private static async Task ObserveAsync(Task<SyncResult> sync)
    {
        try
        {
            await sync;
        }
        catch (Exception)
        {
        }
    }

    private async Task<SyncResult> SyncOnceAsync(CancellationToken cancellationToken)
    {
        // An unexpected libgit2 corrupts memory instead of failing (LibGit2NativeCheck), so never call it unchecked.
        if (LibGit2NativeCheck.Check() is { Ok: false } native)
        {
            throw new InvalidOperationException(native.Message);
        }

        var started = time.GetTimestamp();
        var reader = new GitCommitReader(options.CurrentValue);
        var last = await store.GetLastStoredIdAsync(cancellationToken);
        using var fetched = reader.Fetch(last);
        var fetchTime = time.GetElapsedTime(started);
        var alreadyStored = await store.FindStoredAsync([.. fetched.NewCommits.Select(static c => c.Sha)], cancellationToken);
        var stored = new List<string>();
        foreach (var commit in fetched.NewCommits)
        {
            if (alreadyStored.Contains(commit.Sha))
            {
                continue;
            }

            var building = time.GetTimestamp();
            var revision = RevisionFactory.Create(commit, PluginLoadOptions.Default, _cache);
            var storing = time.GetTimestamp();
            if (await store.StoreAsync(revision, cancellationToken))
            {
                publisher.Wake();
                stored.Add(revision.Id);
                Log.RevisionStored(logger, revision.Id, revision.Status, revision.PluginCount, revision.ErrorCount);
                Log.RevisionTimed(
                    logger, revision.Id, fetchTime.TotalMilliseconds, time.GetElapsedTime(building, storing).TotalMilliseconds,
                    _cache.Plugins.LastReused, _cache.Plugins.LastBuilt, time.GetElapsedTime(storing).TotalMilliseconds);
            }
        }

        foreach (var listener in listeners)
        {
            await listener.OnSyncedAsync(fetched, cancellationToken);
        }

        return new SyncResult { Head = fetched.Head, Stored = stored };
    }
}
