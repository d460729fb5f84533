using Evergreen.ServiceDefaults.Data;
using Evergreen.Testing;
using Npgsql;

namespace Evergreen.ServiceDefaults.Tests.Data;

public sealed class SqlMigratorTests(PostgresServerFixture postgres)
{
    private static readonly Migration CreateItems = new(1, "0001_items.sql", "CREATE TABLE items (id integer PRIMARY KEY);");
    private static readonly Migration AddName = new(2, "0002_item_name.sql", "ALTER TABLE items ADD COLUMN name text;");
    private static readonly Migration SeedItems = new(3, "0003_seed.sql", "INSERT INTO items (id, name) VALUES (1, 'one'), (2, 'two');");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AppliesInVersionOrderAndRecordsEach()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        // Given out of order: the migrator orders by version.
        var result = await new SqlMigrator().MigrateAsync(dataSource, [SeedItems, CreateItems, AddName], Token).DefaultTimeout();

        Assert.Equal([1, 2, 3], result.Applied.Select(m => m.Version));
        Assert.Equal(0, result.AlreadyApplied);
        var recorded = await ReadSchemaMigrationsAsync(dataSource);
        Assert.Equal(
            [(1, "0001_items.sql", CreateItems.Checksum), (2, "0002_item_name.sql", AddName.Checksum), (3, "0003_seed.sql", SeedItems.Checksum)],
            recorded);
        Assert.Equal(2L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task MigrateAsync_SecondRun_AppliesNothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var migrator = new SqlMigrator();
        await migrator.MigrateAsync(dataSource, [CreateItems, AddName, SeedItems], Token).DefaultTimeout();

        var second = await migrator.MigrateAsync(dataSource, [CreateItems, AddName, SeedItems], Token).DefaultTimeout();

        Assert.Empty(second.Applied);
        Assert.Equal(3, second.AlreadyApplied);
        Assert.Equal(2L, await ScalarAsync<long>(dataSource, "SELECT count(*) FROM items"));
    }

    [Fact]
    public async Task MigrateAsync_NewFileAdded_AppliesOnlyTheNewFile()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new SqlMigrator().MigrateAsync(dataSource, [CreateItems], Token).DefaultTimeout();

        var result = await new SqlMigrator().MigrateAsync(dataSource, [CreateItems, AddName], Token).DefaultTimeout();

        Assert.Equal([2], result.Applied.Select(m => m.Version));
        Assert.Equal(1, result.AlreadyApplied);
    }

    [Fact]
    public async Task MigrateAsync_ManyMigratorsConcurrentlyOnFreshDatabase_AllSucceedAndEachFileIsAppliedOnce()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        // Each "replica" has its own pool, as separate processes would.
        var dataSources = Enumerable.Range(0, 6)
            .Select(i => NpgsqlDataSource.Create($"{database.ConnectionString};Application Name=replica-{i}"))
            .ToList();
        try
        {
            // Not idempotent on purpose: applying a file twice fails (CREATE TABLE, primary keys).
            Migration[] migrations =
            [
                CreateItems,
                AddName,
                new(3, "0003_log.sql", "CREATE TABLE applied_log (version integer PRIMARY KEY); INSERT INTO applied_log VALUES (3);"),
                new(4, "0004_log.sql", "INSERT INTO applied_log VALUES (4);"),
            ];

            var results = await Task.WhenAll(dataSources.Select(ds => Task.Run(() => new SqlMigrator().MigrateAsync(ds, migrations, Token), Token)))
                .DefaultTimeout();

            Assert.Equal(4, results.Sum(r => r.Applied.Count));
            Assert.All(results, r => Assert.Equal(4, r.Applied.Count + r.AlreadyApplied));
            Assert.Equal(4, (await ReadSchemaMigrationsAsync(dataSources[0])).Count);
            Assert.Equal(2L, await ScalarAsync<long>(dataSources[0], "SELECT count(*) FROM applied_log"));
        }
        finally
        {
            foreach (var dataSource in dataSources)
            {
                await dataSource.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task MigrateAsync_AppliedFileEdited_RefusesWithClearMessageAndAppliesNothing()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new SqlMigrator().MigrateAsync(dataSource, [CreateItems], Token).DefaultTimeout();
        var edited = new Migration(1, "0001_items.sql", "CREATE TABLE items (id bigint PRIMARY KEY);");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => new SqlMigrator().MigrateAsync(dataSource, [edited, AddName], Token)).DefaultTimeout();

        Assert.Equal(
            $"Migration 0001_items.sql was changed after it was applied (checksum {edited.Checksum}, database has {CreateItems.Checksum}). "
            + "Add a new migration instead of editing an applied one.",
            error.Message);
        Assert.Single(await ReadSchemaMigrationsAsync(dataSource));
    }

    [Fact]
    public async Task MigrateAsync_OnlyLineEndingsChanged_IsNotAnEdit()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new SqlMigrator().MigrateAsync(dataSource, [new Migration(1, "0001_a.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n")], Token)
            .DefaultTimeout();

        var result = await new SqlMigrator()
            .MigrateAsync(dataSource, [new Migration(1, "0001_a.sql", "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n")], Token)
            .DefaultTimeout();

        Assert.Equal(1, result.AlreadyApplied);
    }

    [Fact]
    public async Task MigrateAsync_DatabaseHasUnknownVersion_Refuses()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        await new SqlMigrator().MigrateAsync(dataSource, [CreateItems, AddName], Token).DefaultTimeout();

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => new SqlMigrator().MigrateAsync(dataSource, [CreateItems], Token)).DefaultTimeout();

        Assert.StartsWith(
            "The database has migration 0002_item_name.sql (version 2) that this build does not have.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_FailingFile_RollsBackOnlyThatFile()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);
        var failing = new Migration(3, "0003_broken.sql", "CREATE TABLE half_done (id int);\nINSERT INTO no_such_table VALUES (1);");

        var error = await Assert.ThrowsAsync<MigrationException>(
            () => new SqlMigrator().MigrateAsync(dataSource, [CreateItems, AddName, failing], Token)).DefaultTimeout();

        Assert.Contains("0003_broken.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("no_such_table", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2], (await ReadSchemaMigrationsAsync(dataSource)).Select(r => r.Version));
        Assert.Null(await ScalarAsync<string?>(dataSource, "SELECT to_regclass('half_done')::text"));
        Assert.Equal("items", await ScalarAsync<string?>(dataSource, "SELECT to_regclass('items')::text"));
    }

    [Fact]
    public async Task MigrateAsync_Assembly_AppliesItsEmbeddedMigrations()
    {
        await using var database = await postgres.CreateDatabaseAsync(nameof(SqlMigratorTests), Token);
        await using var dataSource = NpgsqlDataSource.Create(database.ConnectionString);

        var result = await new SqlMigrator().MigrateAsync(dataSource, typeof(SqlMigratorTests).Assembly, Token).DefaultTimeout();

        Assert.Equal(["0001_create_widgets.sql", "0002_add_widget_color.sql"], result.Applied.Select(m => m.Name));
        Assert.Equal("green", await ScalarAsync<string?>(dataSource, "SELECT color FROM widgets WHERE id = 1"));
    }

    [Fact]
    public void FromAssembly_EmbeddedFiles_ReadsVersionsNamesAndText()
    {
        var migrations = Migration.FromAssembly(typeof(SqlMigratorTests).Assembly);

        Assert.Equal([1, 2], migrations.Select(m => m.Version));
        Assert.Equal("0001_create_widgets.sql", migrations[0].Name);
        Assert.Contains("CREATE TABLE widgets", migrations[0].Sql, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", migrations[0].Checksum);
    }

    [Fact]
    public async Task MigrateAsync_TwoFilesWithSameVersion_ThrowsNamingBoth()
    {
        await using var dataSource = NpgsqlDataSource.Create(postgres.GetConnectionString());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => new SqlMigrator().MigrateAsync(dataSource, [CreateItems, new Migration(1, "0001_other.sql", "SELECT 1")], Token)).DefaultTimeout();

        Assert.Contains("0001_items.sql", error.Message, StringComparison.Ordinal);
        Assert.Contains("0001_other.sql", error.Message, StringComparison.Ordinal);
    }

    internal static async Task<List<(int Version, string Name, string Checksum)>> ReadSchemaMigrationsAsync(NpgsqlDataSource dataSource)
    {
        var rows = new List<(int, string, string)>();
        await using var command = dataSource.CreateCommand("SELECT version, name, checksum FROM schema_migrations ORDER BY version");
        await using var reader = await command.ExecuteReaderAsync(Token).DefaultTimeout();
        while (await reader.ReadAsync(Token))
        {
            rows.Add((reader.GetInt32(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    internal static async Task<T?> ScalarAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(Token).DefaultTimeout();
        return value is DBNull or null ? default : (T)value;
    }
}
