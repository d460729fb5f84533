using System.Text.Json.Serialization;

namespace Evergreen.AppHost.Telemetry;

/// <summary>The OTLP <c>Status.StatusCode</c> values (same numbers as in <c>trace.proto</c>); JSON writes the name.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OtlpStatusCode>))]
public enum OtlpStatusCode
{
    /// <summary>No status was set.</summary>
    Unset = 0,

    /// <summary>Marked successful by the application.</summary>
    Ok = 1,

    /// <summary>The operation failed.</summary>
    Error = 2,
}
