using System.Text.Json;

namespace Evergreen.Contracts.Audit;

/// <summary>One row of ConfigStore's audit log, as <c>GET /api/audit</c> returns it (newest first).</summary>
public sealed record AuditEntry
{
    /// <summary>Gets the entry's id; ids grow in the order entries were written.</summary>
    public required long Id { get; init; }

    /// <summary>Gets when it happened.</summary>
    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>Gets what happened: one of <see cref="AuditEntryTypes"/>' values.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the agent concerned (<c>plugin:agent</c>) for proposal entries; null otherwise.</summary>
    public string? Agent { get; init; }

    /// <summary>Gets who did it: <c>configstore</c> for syncs, <c>admin</c> for admin API calls, or a reviewer's name.</summary>
    public required string Actor { get; init; }

    /// <summary>Gets the revision concerned, when there is one.</summary>
    public string? RevisionId { get; init; }

    /// <summary>Gets the type-specific details (a JSON object).</summary>
    public required JsonElement Detail { get; init; }
}
