namespace Evergreen.AgentRuntime.Registry;

/// <summary>A snapshot that could not become active: missing, corrupted in transit, unreadable or invalid.</summary>
internal sealed class SnapshotLoadException : Exception
{
    public SnapshotLoadException()
    {
        RevisionId = string.Empty;
        Reason = "unknown";
    }

    public SnapshotLoadException(string message)
        : base(message)
    {
        RevisionId = string.Empty;
        Reason = "unknown";
    }

    public SnapshotLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
        RevisionId = string.Empty;
        Reason = "unknown";
    }

    public SnapshotLoadException(string revisionId, string reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        RevisionId = revisionId;
        Reason = reason;
    }

    /// <summary>The revision that failed to load.</summary>
    public string RevisionId { get; }

    /// <summary><c>not-found</c>, <c>checksum-mismatch</c>, <c>unreadable</c> or <c>invalid</c>.</summary>
    public string Reason { get; }
}
