using System.Text.Json.Serialization;

namespace Evergreen.AppHost.Telemetry;

/// <summary>The OTLP <c>Span.SpanKind</c> values (same numbers as in <c>trace.proto</c>); JSON writes the name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OtlpSpanKind>))]
public enum OtlpSpanKind
{
    /// <summary>Not given by the sender.</summary>
    Unspecified = 0,

    /// <summary>An operation inside one service.</summary>
    Internal = 1,

    /// <summary>Handling of an incoming request.</summary>
    Server = 2,

    /// <summary>An outgoing request.</summary>
    Client = 3,

    /// <summary>Sending a message to a broker.</summary>
    Producer = 4,

    /// <summary>Receiving a message from a broker.</summary>
    Consumer = 5,
}
