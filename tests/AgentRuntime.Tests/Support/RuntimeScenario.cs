using Evergreen.Testing;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>
/// A plugin repository, the real ConfigStore syncing it, and a runtime loading from that ConfigStore (directly or
/// through <paramref name="route"/>, for a test that puts something between them).
/// </summary>
internal sealed class RuntimeScenario : IAsyncDisposable
{
    private readonly PostgresDatabase _database;

    private RuntimeScenario(PostgresDatabase database, PluginGitRepository repository, ConfigStoreServer configStore, RuntimeHost runtime)
    {
        _database = database;
        Repository = repository;
        ConfigStore = configStore;
        Runtime = runtime;
    }

    public PluginGitRepository Repository { get; }

    public ConfigStoreServer ConfigStore { get; }

    public RuntimeHost Runtime { get; }

    /// <summary>The first commit ConfigStore synced; the runtime is started and has activated it.</summary>
    public string First { get; private set; } = string.Empty;

    /// <summary>
    /// Commits <paramref name="files"/>, syncs ConfigStore, starts the runtime and waits until it serves that commit.
    /// The runtime uses <paramref name="runtimeRedis"/> (default: ConfigStore's Redis, so it hears its events).
    /// </summary>
    public static async Task<RuntimeScenario> StartAsync(
        PostgresServerFixture postgres,
        RedisServerFixture redis,
        (string Path, string Content)[] files,
        IReadOnlyDictionary<string, string?>? settings = null,
        string? runtimeRedis = null,
        Func<Uri, Task<Uri>>? route = null,
        bool realRunner = false)
    {
        var database = await postgres.CreateDatabaseAsync("runtime", TestContext.Current.CancellationToken);
        var repository = await PluginGitRepository.CreateAsync();
        var first = await repository.CommitAndPushAsync("first", files);
        var configStore = ConfigStoreServer.Start(database.ConnectionString, redis.ConnectionString, repository);
        await configStore.SyncAsync();
        var runtime = RuntimeHost.Start(route is null ? configStore.Address : await route(configStore.Address), runtimeRedis ?? redis.ConnectionString, settings, realRunner);
        var scenario = new RuntimeScenario(database, repository, configStore, runtime) { First = first };
        await runtime.WaitForActiveAsync(first, "the runtime activated the first revision");
        return scenario;
    }

    /// <summary>Commits, pushes and makes ConfigStore sync (which publishes the revision on Redis).</summary>
    public async Task<string> PublishAsync(string message, params (string Path, string Content)[] files)
    {
        var commit = await Repository.CommitAndPushAsync(message, files);
        await ConfigStore.SyncAsync();
        return commit;
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.DisposeAsync();
        await ConfigStore.DisposeAsync();
        await Repository.DisposeAsync();
        await _database.DisposeAsync();
    }
}
