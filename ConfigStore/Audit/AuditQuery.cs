namespace Evergreen.ConfigStore.Audit;

/// <summary>A validated <c>GET /api/audit</c> query: entries at or after <paramref name="Since"/>, of one of <paramref name="Types"/>, for <paramref name="Agent"/>.</summary>
/// <param name="Since">Null: no lower bound.</param>
/// <param name="Types">Empty: every type.</param>
/// <param name="Agent">Null: every agent, and entries about none.</param>
/// <param name="Limit">The most entries to return, newest first.</param>
internal sealed record AuditQuery(DateTimeOffset? Since, IReadOnlyList<string> Types, string? Agent, int Limit);
