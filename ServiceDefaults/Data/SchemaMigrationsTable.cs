namespace Evergreen.ServiceDefaults.Data;

/// <summary>A row of <c>schema_migrations</c>.</summary>
internal sealed record AppliedMigration(int Version, string Name, string Checksum);

/// <summary>The SQL of the bookkeeping table and the checks that refuse a mismatching database.</summary>
internal static class SchemaMigrationsTable
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    integer     PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )
        """;

    public const string Select = "SELECT version, name, checksum FROM schema_migrations ORDER BY version";

    public const string Insert = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES ($1, $2, $3, now())";

    /// <exception cref="MigrationException">When the database and the build disagree.</exception>
    public static void Verify(IReadOnlyList<Migration> migrations, IReadOnlyDictionary<int, AppliedMigration> applied)
    {
        var known = migrations.ToDictionary(m => m.Version);
        foreach (var row in applied.Values.OrderBy(r => r.Version))
        {
            if (!known.TryGetValue(row.Version, out var migration))
            {
                throw new MigrationException(
                    $"The database has migration {row.Name} (version {row.Version}) that this build does not have. "
                    + "Either a newer build of this service migrated it (deploy that build), or another service shares this "
                    + "database (give each service its own database in ConnectionStrings:postgres).");
            }

            if (!string.Equals(migration.Checksum, row.Checksum, StringComparison.Ordinal))
            {
                throw new MigrationException(
                    $"Migration {migration.Name} was changed after it was applied (checksum {migration.Checksum}, database has {row.Checksum}). "
                    + "Add a new migration instead of editing an applied one.");
            }
        }
    }
}
