namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// The spans and log records the OTLP receiver accepted, kept in memory: the newest <see cref="DefaultCapacity"/> of
/// each (and at most <see cref="DefaultMaxBytes"/> of estimated size each), oldest dropped first. Thread-safe: any
/// number of receivers may add while readers query; a reader gets an immutable snapshot and never blocks a writer.
/// </summary>
public sealed class TelemetryStore
{
    /// <summary>Default number of spans, and of log records, kept.</summary>
    public const int DefaultCapacity = 10_000;

    /// <summary>Default bound on the estimated memory of the spans, and of the log records, kept.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    private readonly RecentBuffer<SpanRecord> _spans;
    private readonly RecentBuffer<StructuredLogRecord> _logs;

    /// <summary>Creates an empty store with the given bounds.</summary>
    public TelemetryStore(int spanCapacity = DefaultCapacity, int logCapacity = DefaultCapacity, long maxBytesPerSignal = DefaultMaxBytes)
    {
        _spans = new RecentBuffer<SpanRecord>(spanCapacity, maxBytesPerSignal, EstimateSize);
        _logs = new RecentBuffer<StructuredLogRecord>(logCapacity, maxBytesPerSignal, EstimateSize);
    }

    /// <summary>Number of spans held now.</summary>
    public int SpanCount => _spans.Count;

    /// <summary>Number of log records held now.</summary>
    public int LogCount => _logs.Count;

    /// <summary>Adds a batch of spans, dropping the oldest beyond the bounds.</summary>
    public void AddSpans(IReadOnlyList<SpanRecord> spans) => _spans.Append(spans);

    /// <summary>Adds a batch of log records, dropping the oldest beyond the bounds.</summary>
    public void AddLogs(IReadOnlyList<StructuredLogRecord> logs) => _logs.Append(logs);

    /// <summary>The spans held now, in the order they arrived (oldest first); a copy the caller owns.</summary>
    public IReadOnlyList<SpanRecord> GetSpans() => _spans.ToArray();

    /// <summary>The log records held now, in the order they arrived (oldest first); a copy the caller owns.</summary>
    public IReadOnlyList<StructuredLogRecord> GetLogs() => _logs.ToArray();

    // Rough managed-heap sizes: object headers plus two bytes per character; close enough to bound memory.
    private static int EstimateSize(SpanRecord span) =>
        200 + Text(span.Name) + Text(span.TraceId) + Text(span.SpanId) + Text(span.ParentSpanId) + Text(span.ServiceName)
        + Text(span.Scope) + Text(span.StatusMessage) + Attributes(span.Attributes);

    private static int EstimateSize(StructuredLogRecord log) =>
        160 + Text(log.ServiceName) + Text(log.Scope) + Text(log.SeverityText) + Text(log.Body) + Text(log.TraceId) + Text(log.SpanId)
        + Attributes(log.Attributes);

    private static int Attributes(IReadOnlyDictionary<string, object?> attributes)
    {
        var size = 80;
        foreach (var (key, value) in attributes)
        {
            size += 48 + Text(key) + (value is string text ? Text(text) : 24);
        }

        return size;
    }

    private static int Text(string? text) => text is null ? 0 : 24 + (2 * text.Length);
}
