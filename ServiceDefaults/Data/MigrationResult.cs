namespace Evergreen.ServiceDefaults.Data;

/// <summary>What one <see cref="SqlMigrator"/> run did.</summary>
public sealed record MigrationResult
{
    /// <summary>Gets the migrations this run applied, in order; empty when the database was up to date.</summary>
    public required IReadOnlyList<Migration> Applied { get; init; }

    /// <summary>Gets how many of the known migrations had already been applied (by earlier runs or other replicas).</summary>
    public required int AlreadyApplied { get; init; }
}
