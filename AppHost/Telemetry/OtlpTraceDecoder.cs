namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// Decodes <c>ExportTraceServiceRequest{resource_spans=1}</c> (opentelemetry-proto <c>collector/trace/v1</c>):
/// <c>ResourceSpans{resource=1, scope_spans=2}</c>, <c>ScopeSpans{scope=1, spans=2}</c>,
/// <c>Span{trace_id=1, span_id=2, parent_span_id=4, name=5, kind=6, start_time_unix_nano=7 (fixed64),
/// end_time_unix_nano=8 (fixed64), attributes=9, status=15}</c>, <c>Status{message=2, code=3}</c>.
/// Other fields (events, links, trace state, flags, schema URLs) are skipped.
/// </summary>
internal static class OtlpTraceDecoder
{
    /// <exception cref="OtlpFormatException">The payload is not a valid request; nothing of it should be kept.</exception>
    public static List<SpanRecord> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<SpanRecord>();
        OtlpCommonDecoder.ForEach(request, 1, resourceSpans =>
        {
            var serviceName = OtlpCommonDecoder.ReadServiceName(OtlpCommonDecoder.Find(resourceSpans, 1));
            OtlpCommonDecoder.ForEach(resourceSpans, 2, scopeSpans =>
            {
                var scope = OtlpCommonDecoder.ReadScopeName(OtlpCommonDecoder.Find(scopeSpans, 1));
                OtlpCommonDecoder.ForEach(scopeSpans, 2, span => spans.Add(ReadSpan(span, serviceName, scope)));
            });
        });
        return spans;
    }

    private static SpanRecord ReadSpan(ReadOnlySpan<byte> span, string serviceName, string? scope)
    {
        string? traceId = null, spanId = null, parentSpanId = null, statusMessage = null;
        var name = string.Empty;
        var kind = OtlpSpanKind.Unspecified;
        var status = OtlpStatusCode.Unset;
        ulong start = 0, end = 0;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);

        var reader = new ProtoReader(span);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited): traceId = OtlpCommonDecoder.ReadId(reader.ReadBytes(), 16, "trace_id"); break;
                case (2, WireType.LengthDelimited): spanId = OtlpCommonDecoder.ReadId(reader.ReadBytes(), 8, "span_id"); break;
                case (4, WireType.LengthDelimited): parentSpanId = OtlpCommonDecoder.ReadId(reader.ReadBytes(), 8, "parent_span_id"); break;
                case (5, WireType.LengthDelimited): name = reader.ReadString(OtlpAnyValueDecoder.MaxTextLength); break;
                case (6, WireType.Varint): kind = reader.ReadVarint() is var k && k <= 5 ? (OtlpSpanKind)k : OtlpSpanKind.Unspecified; break;
                case (7, WireType.Fixed64): start = reader.ReadFixed64(); break;
                case (8, WireType.Fixed64): end = reader.ReadFixed64(); break;
                case (9, WireType.LengthDelimited): OtlpCommonDecoder.AddAttribute(attributes, reader.ReadBytes()); break;
                case (15, WireType.LengthDelimited): (status, statusMessage) = ReadStatus(reader.ReadBytes()); break;
                default: reader.Skip(type); break;
            }
        }

        return new SpanRecord
        {
            TraceId = traceId ?? throw new OtlpFormatException("a span has no trace_id"),
            SpanId = spanId ?? throw new OtlpFormatException("a span has no span_id"),
            ParentSpanId = parentSpanId,
            Name = name,
            Kind = kind,
            ServiceName = serviceName,
            Scope = scope,
            StartTime = OtlpCommonDecoder.FromUnixNanoseconds(start),
            EndTime = OtlpCommonDecoder.FromUnixNanoseconds(Math.Max(start, end)),
            DurationMs = end > start ? (end - start) / 1_000_000.0 : 0,
            Status = status,
            StatusMessage = statusMessage,
            Attributes = attributes.AsReadOnly(),
        };
    }

    private static (OtlpStatusCode Code, string? Message) ReadStatus(ReadOnlySpan<byte> status)
    {
        var code = OtlpStatusCode.Unset;
        string? message = null;
        var reader = new ProtoReader(status);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (2, WireType.LengthDelimited): message = reader.ReadString(OtlpAnyValueDecoder.MaxTextLength); break;
                case (3, WireType.Varint): code = reader.ReadVarint() is var value && value <= 2 ? (OtlpStatusCode)value : OtlpStatusCode.Unset; break;
                default: reader.Skip(type); break;
            }
        }

        return (code, string.IsNullOrEmpty(message) ? null : message);
    }
}
