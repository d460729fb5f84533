using System.Collections.Concurrent;

namespace Evergreen.AgentRuntime.Metrics;

/// <summary>
/// Runs and client feedback per revision, kept in memory for the last hour (at most 200 000 samples each), for
/// <c>GET /admin/metrics</c>. Feedback is recorded against the revision that served the run, found through the run
/// ledger (the last 100 000 runs). A restart forgets everything: the gateway's metrics are the durable ones.
/// Thread-safe.
/// </summary>
internal sealed class RunMetrics(TimeProvider timeProvider)
{
    public static readonly TimeSpan MaxWindow = TimeSpan.FromHours(1);
    private const int MaxSamples = 200_000;
    private const int MaxLedger = 100_000;

    private readonly ConcurrentQueue<RunSample> _runs = new();
    private readonly ConcurrentQueue<FeedbackSample> _feedback = new();
    private readonly ConcurrentDictionary<string, string> _ledger = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _ledgerOrder = new();

    public void RecordRun(string runId, string revision, TimeSpan duration, bool success)
    {
        var now = timeProvider.GetUtcNow();
        _runs.Enqueue(new RunSample(revision, now, duration.TotalMilliseconds, success));
        if (_ledger.TryAdd(runId, revision))
        {
            _ledgerOrder.Enqueue(runId);
        }

        Trim(now);
    }

    /// <summary>The revision that served <paramref name="runId"/>, or null when this replica does not know the run.</summary>
    public string? RevisionOf(string runId) => _ledger.GetValueOrDefault(runId);

    public void RecordFeedback(string revision, int score)
    {
        var now = timeProvider.GetUtcNow();
        _feedback.Enqueue(new FeedbackSample(revision, now, score));
        Trim(now);
    }

    public IReadOnlyList<RevisionMetrics> Report(TimeSpan window)
    {
        var since = timeProvider.GetUtcNow() - window;
        var runs = _runs.Where(s => s.At >= since).GroupBy(s => s.Revision, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var feedback = _feedback.Where(s => s.At >= since).GroupBy(s => s.Revision, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        return [.. runs.Keys.Union(feedback.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(revision =>
        {
            var samples = runs.GetValueOrDefault(revision) ?? [];
            var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
            var votes = feedback.GetValueOrDefault(revision) ?? [];
            return new RevisionMetrics
            {
                Revision = revision,
                Runs = samples.Count,
                Errors = samples.Count(s => !s.Success),
                ErrorRate = samples.Count == 0 ? 0 : Math.Round((double)samples.Count(s => !s.Success) / samples.Count, 4),
                LatencyMs = new LatencyView(Percentile(latencies, 0.50), Percentile(latencies, 0.95), Percentile(latencies, 0.99)),
                Feedback = new FeedbackView(votes.Count(v => v.Score > 0), votes.Count(v => v.Score < 0)),
            };
        })];
    }

    private static double Percentile(double[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)], 2);

    private void Trim(DateTimeOffset now)
    {
        var oldest = now - MaxWindow;
        while (_runs.TryPeek(out var run) && (run.At < oldest || _runs.Count > MaxSamples))
        {
            _runs.TryDequeue(out _);
        }

        while (_feedback.TryPeek(out var vote) && (vote.At < oldest || _feedback.Count > MaxSamples))
        {
            _feedback.TryDequeue(out _);
        }

        while (_ledgerOrder.Count > MaxLedger && _ledgerOrder.TryDequeue(out var runId))
        {
            _ledger.TryRemove(runId, out _);
        }
    }

    private sealed record RunSample(string Revision, DateTimeOffset At, double LatencyMs, bool Success);

    private sealed record FeedbackSample(string Revision, DateTimeOffset At, int Score);
}

/// <summary>One revision's line in <c>GET /admin/metrics</c>.</summary>
internal sealed record RevisionMetrics
{
    public required string Revision { get; init; }

    public required int Runs { get; init; }

    public required int Errors { get; init; }

    public required double ErrorRate { get; init; }

    public required LatencyView LatencyMs { get; init; }

    public required FeedbackView Feedback { get; init; }
}

internal sealed record LatencyView(double P50, double P95, double P99);

internal sealed record FeedbackView(int Up, int Down);
