using System.Text.Json.Serialization;

namespace Evergreen.Contracts.Snapshots;

/// <summary>How serious a <see cref="Diagnostic"/> is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DiagnosticSeverity>))]
public enum DiagnosticSeverity
{
    /// <summary>The loader worked around the problem; the revision stays valid.</summary>
    Warning,

    /// <summary>The revision would make the system misbehave and is invalid.</summary>
    Error,
}
