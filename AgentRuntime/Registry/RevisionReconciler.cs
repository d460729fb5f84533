using System.Text.Json;
using System.Threading.Channels;
using Evergreen.Contracts.Revisions;
using Evergreen.ServiceDefaults.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Keeps the active revision equal to the desired one. Reconciles at start, on every <c>evergreen.revisions</c> event,
/// when Redis comes back (events published meanwhile were lost), and on a timer, so a lost event delays a change by
/// at most one timer period. One reconciliation at a time; admin changes go through the same gate.
/// </summary>
internal sealed class RevisionReconciler(
    PluginRegistry registry,
    SnapshotLoader loader,
    ConfigStoreClient configStore,
    IRedisBus bus,
    RegistryOptions options,
    TimeProvider timeProvider,
    ILogger<RevisionReconciler> logger) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Channel<string> _triggers = Channel.CreateBounded<string>(new BoundedChannelOptions(1)
    {
        // One pending trigger is enough: the reconciliation it causes reads the latest state anyway.
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    private DesiredRevision _desired = options.PinnedRevision is { } pinned ? DesiredRevision.Pinned(pinned) : DesiredRevision.FollowLatest;
    private LoadFailure? _lastFailure;
    private long _lastReconciledTicks;

    public DesiredRevision Desired => Volatile.Read(ref _desired);

    public LoadFailure? LastFailure => Volatile.Read(ref _lastFailure);

    public DateTimeOffset? LastReconciledAt => Interlocked.Read(ref _lastReconciledTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public void Trigger(string reason) => _triggers.Writer.TryWrite(reason);

    /// <summary>Brings the active revision to the desired one now.</summary>
    public async Task<ReconcileOutcome> ReconcileAsync(string trigger, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var desired = Desired;
            var target = desired.IsPinned ? desired.Revision : (await configStore.GetLatestAsync(cancellationToken))?.Id;
            Interlocked.Exchange(ref _lastReconciledTicks, timeProvider.GetUtcNow().UtcTicks);
            if (target is null)
            {
                Log.NoRevisionYet(logger);
                return new ReconcileOutcome(ReconcileStatus.NothingToLoad, null);
            }

            return await ActivateLockedAsync(target, ActivationKind.Activated, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or JsonException)
        {
            Log.ReconcileFailed(logger, trigger, ex.Message, ex);
            return Fail(new LoadFailure(Desired.Revision ?? "latest", "configstore-unavailable", ex.Message, timeProvider.GetUtcNow()));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Loads and activates <paramref name="revision"/>, then pins it; on failure nothing changes.</summary>
    public async Task<ReconcileOutcome> PinAsync(string revision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var outcome = await ActivateLockedAsync(revision, ActivationKind.Activated, cancellationToken);
            if (outcome.Status != ReconcileStatus.Failed)
            {
                SetDesired(DesiredRevision.Pinned(revision));
            }

            return outcome;
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException)
        {
            return Fail(new LoadFailure(revision, "configstore-unavailable", ex.Message, timeProvider.GetUtcNow()));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Follows the latest valid revision again and reconciles at once.</summary>
    public Task<ReconcileOutcome> FollowLatestAsync(CancellationToken cancellationToken)
    {
        SetDesired(DesiredRevision.FollowLatest);
        return ReconcileAsync("follow-latest", cancellationToken);
    }

    /// <summary>Activates a revision held in memory and pins it, so following the latest does not undo the rollback.</summary>
    public async Task<ActivationRecord> RollBackAsync(LoadedRevision target, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var record = registry.Activate(target, ActivationKind.RolledBack, fromMemory: true);
            SetDesired(DesiredRevision.Pinned(target.Id));
            Log.Activated(logger, target.Id, record.Kind, target.Catalog.Plugins.Count, target.LoadDuration.TotalMilliseconds, true, record.Previous);
            return record;
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        bus.ConnectionRestored += OnConnectionRestored;
        Task subscription = Task.CompletedTask;
        try
        {
            Trigger("start");
            subscription = SubscribeAsync(stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                var wait = registry.Active is null ? options.StartupRetryInterval : options.ReconcileInterval;
                var trigger = await WaitForTriggerAsync(wait, stoppingToken) ?? "timer";
                await ReconcileAsync(trigger, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            bus.ConnectionRestored -= OnConnectionRestored;
            await subscription.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public override void Dispose()
    {
        _gate.Dispose();
        base.Dispose();
    }

    private async Task<ReconcileOutcome> ActivateLockedAsync(string target, ActivationKind kind, CancellationToken cancellationToken)
    {
        var state = registry.State;
        if (state.Active is { } active && string.Equals(active.Id, target, StringComparison.OrdinalIgnoreCase))
        {
            return new ReconcileOutcome(ReconcileStatus.Unchanged, active.Id);
        }

        var fromMemory = state.FindLoaded(target);
        LoadedRevision revision;
        try
        {
            revision = fromMemory ?? await loader.LoadAsync(target, registry.InternedPlugins(), cancellationToken);
        }
        catch (SnapshotLoadException ex)
        {
            Log.LoadFailed(logger, target, ex.Reason, registry.Active?.Id ?? "(nothing)", ex.Message);
            return Fail(new LoadFailure(target, ex.Reason, ex.Message, timeProvider.GetUtcNow()));
        }

        var record = registry.Activate(revision, kind, fromMemory is not null);
        Log.Activated(logger, revision.Id, kind, revision.Catalog.Plugins.Count, revision.LoadDuration.TotalMilliseconds, fromMemory is not null, record.Previous);
        return new ReconcileOutcome(ReconcileStatus.Activated, revision.Id);
    }

    private ReconcileOutcome Fail(LoadFailure failure)
    {
        Volatile.Write(ref _lastFailure, failure);
        return new ReconcileOutcome(ReconcileStatus.Failed, failure.Revision, failure);
    }

    private void SetDesired(DesiredRevision desired)
    {
        Volatile.Write(ref _desired, desired);
        Log.DesiredChanged(logger, desired.Mode, desired.Revision);
    }

    private async Task SubscribeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bus.SubscribeAsync(RevisionPublished.Channel, OnRevisionPublishedAsync, cancellationToken);

            // An event published before the subscription was made is covered by reconciling once more.
            Trigger("subscribed");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex) when (ex is RedisUnavailableException or TimeoutException or ObjectDisposedException)
        {
            Log.SubscribeFailed(logger, RevisionPublished.Channel, ex.Message);
        }
    }

    private Task OnRevisionPublishedAsync(string message, CancellationToken cancellationToken)
    {
        try
        {
            var published = JsonSerializer.Deserialize<RevisionPublished>(message, Json);
            // A new valid revision, or a status change (ConfigStore re-publishes a revision marked rolled-back or valid
            // again), may move "latest": reconcile against it. Only a valid revision that is already active changes nothing.
            var isActive = string.Equals(registry.Active?.Id, published?.RevisionId, StringComparison.OrdinalIgnoreCase);
            if (published is not null && !Desired.IsPinned && !(published.Status == RevisionStatus.Valid && isActive))
            {
                Trigger($"event {published.RevisionId}");
            }
        }
        catch (JsonException ex)
        {
            Log.BadEvent(logger, RevisionPublished.Channel, ex);
        }

        return Task.CompletedTask;
    }

    private void OnConnectionRestored(object? sender, EventArgs e) => Trigger("redis reconnected");

    private async Task<string?> WaitForTriggerAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(wait, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            return await _triggers.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
