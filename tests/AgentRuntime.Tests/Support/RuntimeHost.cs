using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Registry;
using Evergreen.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>
/// The runtime's real Program on a real loopback port, with the <see cref="ScriptedAgentRunner"/> in place of the agent
/// loop unless the test asks for the real one. Set <c>RUNTIME_TEST_LOGS=1</c> to see its logs.
/// </summary>
internal sealed class RuntimeHost : IAsyncDisposable
{
    public const string AdminToken = "runtime-admin-token";
    private readonly WebApplicationFactory<PluginRegistry> _factory;
    private int _disposed;

    private RuntimeHost(WebApplicationFactory<PluginRegistry> factory, Uri address, ScriptedAgentRunner runner)
    {
        _factory = factory;
        Address = address;
        Runner = runner;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public ScriptedAgentRunner Runner { get; }

    public IServiceProvider Services => _factory.Services;

    /// <param name="realRunner">True to run agents with the real agent loop (the offline model: no API key is set).</param>
    public static RuntimeHost Start(Uri configStore, string redis, IReadOnlyDictionary<string, string?>? settings = null, bool realRunner = false)
    {
        var runner = new ScriptedAgentRunner();
        var factory = new WebApplicationFactory<PluginRegistry>().WithWebHostBuilder(builder =>
        {
            builder.UseUrls("http://127.0.0.1:0");
            builder.UseSetting("services:configstore:http:0", configStore.ToString());
            builder.UseSetting("ConnectionStrings:redis", redis);
            builder.UseSetting("Evergreen:AdminToken", AdminToken);
            builder.UseSetting("Evergreen:Replica", "blue");
            builder.UseSetting("Evergreen:RuntimeToken", ConfigStoreServer.RuntimeToken);
            builder.UseSetting("Evergreen:ShutdownGracePeriod", "10");
            builder.UseSetting("AgentRuntime:Registry:ReconcileInterval", "3600");
            builder.UseSetting("AgentRuntime:Registry:StartupRetryInterval", "0.2");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                if (Environment.GetEnvironmentVariable("RUNTIME_TEST_LOGS") is "1")
                {
                    logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
                }
            });
            if (!realRunner)
            {
                builder.ConfigureTestServices(services => services.AddSingleton<IAgentRunner>(runner));
            }
        });
        factory.UseKestrel();
        factory.StartServer();
        var address = LoopbackApps.AddressOf(factory.Services);
        return new RuntimeHost(factory, new Uri(address), runner);
    }

    public async Task<JsonElement> GetStateAsync() =>
        await Admin.GetFromJsonAsync<JsonElement>("/admin/state", TestContext.Current.CancellationToken).DefaultTimeout();

    public async Task<string?> ActiveRevisionAsync()
    {
        var state = await GetStateAsync();
        return state.GetProperty("active").ValueKind == JsonValueKind.Object ? state.GetProperty("active").GetProperty("id").GetString() : null;
    }

    public Task WaitForActiveAsync(string revision, string because) =>
        Eventually.Until(async () => await ActiveRevisionAsync() == revision, TimeSpan.FromSeconds(20), because, TestContext.Current.CancellationToken);

    /// <summary>Runs <paramref name="prompt"/> with POST <paramref name="path"/>.</summary>
    public Task<HttpResponseMessage> RunAsync(string path, string prompt) =>
        Client.PostAsJsonAsync(path, new { prompt }, TestContext.Current.CancellationToken);

    /// <summary>Stops the host as SIGTERM would; completes when the host has stopped.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _factory.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await StopAsync().DefaultTimeout(TimeSpan.FromSeconds(60));
    }
}
