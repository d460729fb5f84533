using Evergreen.AgentRuntime.Streaming;
using Evergreen.ServiceDefaults.Hosting;
using Evergreen.ServiceDefaults.Lifetime;

namespace Evergreen.AgentRuntime.Lifecycle;

/// <summary>
/// Drain on SIGTERM or <c>POST /admin/drain</c>: readiness answers 503 at once (through <see cref="ServiceLifecycle"/>);
/// runs and streams in progress continue until they end or the grace period (<c>Evergreen:ShutdownGracePeriod</c>,
/// default 60 s) is nearly over; streams still open then receive a <c>shutdown</c> event and end. On SIGTERM the wait
/// happens in <see cref="StoppingAsync"/>, which the host runs before it stops any service (the web server stops first
/// among the hosted services and would abort open streams), so the server stops only once nothing is in flight.
/// </summary>
internal sealed partial class RuntimeDrain(
    ServiceLifecycle lifecycle, WorkTracker work, OpenStreams streams, IConfiguration configuration, TimeProvider timeProvider, ILogger<RuntimeDrain> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan MaxNoticeMargin = TimeSpan.FromSeconds(2);
    private int _adminDrainStarted;

    public TimeSpan GracePeriod { get; } = ConfigurationValues.GetDuration(configuration, "Evergreen:ShutdownGracePeriod", TimeSpan.FromSeconds(60));

    /// <summary>Time kept at the end of the grace period to send <c>shutdown</c> events before the server aborts connections.</summary>
    private TimeSpan NoticeMargin => GracePeriod / 4 < MaxNoticeMargin ? GracePeriod / 4 : MaxNoticeMargin;

    /// <summary>Starts an admin drain; the process keeps running (the replica controller restarts it). Idempotent.</summary>
    public void Begin(string reason)
    {
        lifecycle.BeginDrain(reason);
        if (Interlocked.Exchange(ref _adminDrainStarted, 1) == 0)
        {
            _ = Task.Run(() => DrainAsync(CancellationToken.None), CancellationToken.None);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The host calls this on SIGTERM, before stopping the server, with a token that fires when the grace period ends.</summary>
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        // Readiness must already say 503 while this waits, whichever stopping hook runs first.
        lifecycle.BeginDrain(ServiceLifecycle.ShuttingDownReason);
        return DrainAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainAsync(CancellationToken hostDeadline)
    {
        LogDraining(logger, work.Count, streams.Count, GracePeriod);
        using var deadline = new CancellationTokenSource(GracePeriod - NoticeMargin, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, hostDeadline);
        try
        {
            await work.WaitForIdleAsync(linked.Token);
            LogDrained(logger);
            return;
        }
        catch (OperationCanceledException)
        {
            // The grace period is (nearly) over.
        }

        var ended = streams.ShutDownAll();
        LogStreamsShutDown(logger, ended, work.Count);
        using var notice = new CancellationTokenSource(NoticeMargin, timeProvider);
        try
        {
            // Give the streams time to write their shutdown event before the server aborts the connections.
            await work.WaitForIdleAsync(notice.Token);
        }
        catch (OperationCanceledException)
        {
            // Runs that ignore cancellation are cut off by the server.
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Drain: {Runs} run(s) in progress, {Streams} stream(s) open; waiting up to {GracePeriod}.")]
    private static partial void LogDraining(ILogger logger, long runs, int streams, TimeSpan gracePeriod);

    [LoggerMessage(2, LogLevel.Information, "Drain: every run finished.")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(3, LogLevel.Warning, "Drain: the grace period ran out; sent shutdown to {Streams} open stream(s), {Runs} run(s) still in progress.")]
    private static partial void LogStreamsShutDown(ILogger logger, int streams, long runs);
}
