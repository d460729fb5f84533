namespace Evergreen.AppHost.Telemetry;

/// <summary>An OTLP payload that is not valid protobuf, or not a valid OTLP message; answered with 400.</summary>
internal sealed class OtlpFormatException(string message) : Exception(message);
