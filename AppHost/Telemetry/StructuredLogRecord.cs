namespace Evergreen.AppHost.Telemetry;

/// <summary>One received log record, immutable once decoded.</summary>
public sealed record StructuredLogRecord
{
    /// <summary>When the event happened (the observed time when the sender gave none).</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>The <c>service.name</c> of the resource that sent the record.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The instrumentation scope; for .NET <c>ILogger</c> records, the logger category.</summary>
    public string? Scope { get; init; }

    /// <summary>The OTLP severity number: 1–4 trace, 5–8 debug, 9–12 info, 13–16 warn, 17–20 error, 21–24 fatal; 0 unspecified.</summary>
    public int SeverityNumber { get; init; }

    /// <summary>The sender's severity text, or the name of the <see cref="SeverityNumber"/> range when it sent none.</summary>
    public required string SeverityText { get; init; }

    /// <summary>The message (the body rendered as text), or null when the record has no body.</summary>
    public string? Body { get; init; }

    /// <summary>The trace the record was written in, or null.</summary>
    public string? TraceId { get; init; }

    /// <summary>The span the record was written in, or null.</summary>
    public string? SpanId { get; init; }

    /// <summary>Attributes, as for <see cref="SpanRecord.Attributes"/>.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }
}
