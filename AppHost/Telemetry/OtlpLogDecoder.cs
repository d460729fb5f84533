using System.Globalization;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// Decodes <c>ExportLogsServiceRequest{resource_logs=1}</c> (opentelemetry-proto <c>collector/logs/v1</c>):
/// <c>ResourceLogs{resource=1, scope_logs=2}</c>, <c>ScopeLogs{scope=1, log_records=2}</c>,
/// <c>LogRecord{time_unix_nano=1 (fixed64), severity_number=2, severity_text=3, body=5, attributes=6, trace_id=9,
/// span_id=10, observed_time_unix_nano=11 (fixed64)}</c>. Other fields are skipped.
/// </summary>
internal static class OtlpLogDecoder
{
    public const int MaxBodyLength = 16_384;

    /// <exception cref="OtlpFormatException">The payload is not a valid request; nothing of it should be kept.</exception>
    public static List<StructuredLogRecord> Decode(ReadOnlySpan<byte> request, DateTimeOffset receivedAt)
    {
        var records = new List<StructuredLogRecord>();
        OtlpCommonDecoder.ForEach(request, 1, resourceLogs =>
        {
            var serviceName = OtlpCommonDecoder.ReadServiceName(OtlpCommonDecoder.Find(resourceLogs, 1));
            OtlpCommonDecoder.ForEach(resourceLogs, 2, scopeLogs =>
            {
                var scope = OtlpCommonDecoder.ReadScopeName(OtlpCommonDecoder.Find(scopeLogs, 1));
                OtlpCommonDecoder.ForEach(scopeLogs, 2, record => records.Add(ReadLogRecord(record, serviceName, scope, receivedAt)));
            });
        });
        return records;
    }

    /// <summary>The short name of a severity number's range, as the OTLP log data model names them.</summary>
    public static string SeverityName(int severityNumber) => severityNumber switch
    {
        >= 1 and <= 4 => "Trace",
        >= 5 and <= 8 => "Debug",
        >= 9 and <= 12 => "Info",
        >= 13 and <= 16 => "Warn",
        >= 17 and <= 20 => "Error",
        >= 21 and <= 24 => "Fatal",
        _ => "Unspecified",
    };

    private static StructuredLogRecord ReadLogRecord(ReadOnlySpan<byte> record, string serviceName, string? scope, DateTimeOffset receivedAt)
    {
        ulong time = 0, observed = 0;
        var severity = 0;
        string? severityText = null, body = null, traceId = null, spanId = null;
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);

        var reader = new ProtoReader(record);
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.Fixed64): time = reader.ReadFixed64(); break;
                case (2, WireType.Varint): severity = reader.ReadVarint() is var number && number <= 24 ? (int)number : 0; break;
                case (3, WireType.LengthDelimited): severityText = reader.ReadString(64); break;
                case (5, WireType.LengthDelimited): body = ReadBody(reader.ReadBytes()); break;
                case (6, WireType.LengthDelimited): OtlpCommonDecoder.AddAttribute(attributes, reader.ReadBytes()); break;
                case (9, WireType.LengthDelimited): traceId = OtlpCommonDecoder.ReadId(reader.ReadBytes(), 16, "trace_id"); break;
                case (10, WireType.LengthDelimited): spanId = OtlpCommonDecoder.ReadId(reader.ReadBytes(), 8, "span_id"); break;
                case (11, WireType.Fixed64): observed = reader.ReadFixed64(); break;
                default: reader.Skip(type); break;
            }
        }

        return new StructuredLogRecord
        {
            Time = time != 0 ? OtlpCommonDecoder.FromUnixNanoseconds(time) : observed != 0 ? OtlpCommonDecoder.FromUnixNanoseconds(observed) : receivedAt,
            ServiceName = serviceName,
            Scope = scope,
            SeverityNumber = severity,
            SeverityText = string.IsNullOrEmpty(severityText) ? SeverityName(severity) : severityText,
            Body = body,
            TraceId = traceId,
            SpanId = spanId,
            Attributes = attributes.AsReadOnly(),
        };
    }

    private static string? ReadBody(ReadOnlySpan<byte> anyValue)
    {
        // A string body (the usual case) gets the larger body limit rather than the attribute limit.
        var reader = new ProtoReader(anyValue);
        if (reader.TryReadTag(out var field, out var type) && field == 1 && type == WireType.LengthDelimited)
        {
            var text = reader.ReadString(MaxBodyLength);
            if (!reader.TryReadTag(out _, out _))
            {
                return text;
            }
        }

        return OtlpAnyValueDecoder.ReadAnyValue(anyValue) is { } value ? OtlpAnyValueDecoder.Render(value) : null;
    }
}
