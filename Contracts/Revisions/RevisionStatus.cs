namespace Evergreen.Contracts.Revisions;

/// <summary>The status values a revision can have on the wire.</summary>
public static class RevisionStatus
{
    /// <summary>The commit's plugins loaded without errors; runtimes may load it.</summary>
    public const string Valid = "valid";

    /// <summary>Loading the commit's plugins reported at least one error; runtimes never load it.</summary>
    public const string Invalid = "invalid";

    /// <summary>An administrator withdrew the revision; runtimes never load it.</summary>
    public const string RolledBack = "rolled-back";
}
