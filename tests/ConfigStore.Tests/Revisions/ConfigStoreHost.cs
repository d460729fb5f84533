using System.Net.Http.Headers;
using System.Net.Http.Json;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>ConfigStore's real Program, in process, over a real database, Redis and git repository.</summary>
internal sealed class ConfigStoreHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";

    public const string RuntimeToken = "test-runtime-token";

    private readonly WebApplicationFactory<RevisionSyncService> _factory;

    private ConfigStoreHost(WebApplicationFactory<RevisionSyncService> factory, string connectionString)
    {
        _factory = factory;
        ConnectionString = connectionString;
        Client = factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public HttpClient Client { get; }

    public string ConnectionString { get; }

    public IServiceProvider Services => _factory.Services;

    /// <param name="repositoryUrl">The repository to track; null when <paramref name="settings"/> sets <c>WatchWorkingTree</c> instead.</param>
    /// <param name="pollInterval">Long by default, so a test decides when syncs happen (through POST /api/sync).</param>
    /// <param name="settings">More configuration, e.g. <c>ConfigStore:Repository:WebhookSecret</c> or <c>ConfigStore:Proposals:MaxPerHour</c>.</param>
    public static ConfigStoreHost Start(
        string postgres, string redis, string? repositoryUrl, string workFolder, TimeSpan? pollInterval = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var factory = new WebApplicationFactory<RevisionSyncService>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("ConnectionStrings:postgres", postgres);
            builder.UseSetting("ConnectionStrings:redis", redis);
            if (repositoryUrl is not null)
            {
                builder.UseSetting("ConfigStore:Repository:Url", repositoryUrl);
            }

            builder.UseSetting("ConfigStore:Repository:WorkFolder", workFolder);
            builder.UseSetting("ConfigStore:Repository:PollInterval", (pollInterval ?? TimeSpan.FromHours(1)).ToString());
            builder.UseSetting("Evergreen:AdminToken", AdminToken);
            builder.UseSetting("Evergreen:RuntimeToken", RuntimeToken);
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging => logging.ClearProviders());
        });
        return new ConfigStoreHost(factory, postgres);
    }

    /// <summary>A client without the admin token; the caller disposes it.</summary>
    public HttpClient CreateAnonymousClient() => _factory.CreateClient();

    public async Task<SyncResult> SyncAsync()
    {
        using var response = await Client.PostAsync(new Uri("/api/sync", UriKind.Relative), content: null, TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<SyncResult>(TestContext.Current.CancellationToken))!;
    }

    public async Task<T> GetAsync<T>(string path) =>
        (await Client.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout())!;

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync().DefaultTimeout();
    }
}
