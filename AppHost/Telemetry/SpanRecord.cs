namespace Evergreen.AppHost.Telemetry;

/// <summary>One received span, immutable once decoded. Ids are lowercase hex, as in W3C <c>traceparent</c>.</summary>
public sealed record SpanRecord
{
    /// <summary>The 16-byte trace id as 32 hex digits.</summary>
    public required string TraceId { get; init; }

    /// <summary>The 8-byte span id as 16 hex digits.</summary>
    public required string SpanId { get; init; }

    /// <summary>The parent span's id, or null for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>The span's name, e.g. <c>GET /api/items/{id}</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Server, client, internal, producer or consumer.</summary>
    public OtlpSpanKind Kind { get; init; }

    /// <summary>The <c>service.name</c> of the resource that sent the span.</summary>
    public required string ServiceName { get; init; }

    /// <summary>The instrumentation scope (activity source) name, or null when not given.</summary>
    public string? Scope { get; init; }

    /// <summary>When the span started.</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>When the span ended.</summary>
    public DateTimeOffset EndTime { get; init; }

    /// <summary>End minus start in milliseconds, from the nanosecond timestamps; never negative.</summary>
    public double DurationMs { get; init; }

    /// <summary>The span's status code.</summary>
    public OtlpStatusCode Status { get; init; }

    /// <summary>The status description, usually set only for errors.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>True when the status is <see cref="OtlpStatusCode.Error"/>.</summary>
    public bool IsError => Status == OtlpStatusCode.Error;

    /// <summary>Attributes: values are string, long, bool or double; arrays, maps and bytes arrive rendered as text. Never modified after decoding.</summary>
    public required IReadOnlyDictionary<string, object?> Attributes { get; init; }
}
