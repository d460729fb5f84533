using System.Net.Http.Headers;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>The real ConfigStore, in process on a real loopback port, over a real database, Redis and git repository.</summary>
internal sealed class ConfigStoreServer : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";

    /// <summary>The token runtimes present when they submit proposals.</summary>
    public const string RuntimeToken = "test-runtime-token";
    private readonly WebApplicationFactory<RevisionSyncService> _factory;

    private ConfigStoreServer(WebApplicationFactory<RevisionSyncService> factory, Uri address)
    {
        _factory = factory;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public static ConfigStoreServer Start(string postgres, string redis, PluginGitRepository repository)
    {
        var factory = new WebApplicationFactory<RevisionSyncService>().WithWebHostBuilder(builder =>
        {
            builder.UseUrls("http://127.0.0.1:0");
            builder.UseSetting("ConnectionStrings:postgres", postgres);
            builder.UseSetting("ConnectionStrings:redis", redis);
            builder.UseSetting("ConfigStore:Repository:Url", repository.Url);
            builder.UseSetting("ConfigStore:Repository:WorkFolder", repository.WorkFolder);
            builder.UseSetting("ConfigStore:Repository:PollInterval", TimeSpan.FromHours(1).ToString());
            builder.UseSetting("Evergreen:AdminToken", AdminToken);
            builder.UseSetting("Evergreen:RuntimeToken", RuntimeToken);
            builder.UseSetting("Evergreen:ShutdownGracePeriod", "2");
            builder.ConfigureLogging(logging => logging.ClearProviders());
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = LoopbackApps.AddressOf(factory.Services);
        return new ConfigStoreServer(factory, new Uri(address));
    }

    /// <summary>Asks ConfigStore to sync the tracked branch now (it then publishes on evergreen.revisions).</summary>
    public async Task SyncAsync()
    {
        using var response = await Client.PostAsync(new Uri("/api/sync", UriKind.Relative), content: null, TestContext.Current.CancellationToken).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync().DefaultTimeout();
    }
}
