using System.Net.Http.Headers;
using System.Net.Http.Json;
using Evergreen.Contracts.Gateway;
using Evergreen.Gateway.Extensions;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway, wired exactly as <c>Program.cs</c> wires it, on a random loopback port, with clients for the proxy
/// (<see cref="Client"/>) and the admin API (<see cref="Admin"/>, bearer token set). Set <c>GATEWAY_TEST_LOGS=1</c> to see the
/// gateway's logs on the console.
/// </summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    public const string AdminToken = "test-admin-token";
    public const string Blue = "agentruntime-blue";
    public const string Green = "agentruntime-green";
    public const string DestinationHeader = "X-Evergreen-Destination";
    private readonly WebApplication _app;

    private GatewayTestHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public HttpClient Admin { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a gateway whose destinations are <paramref name="destinations"/> (id → address), in the AppHost's form.</summary>
    public static async Task<GatewayTestHost> StartAsync(
        IReadOnlyDictionary<string, Uri> destinations, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Evergreen:AdminToken"] = AdminToken,
            ["Evergreen:ShutdownGracePeriod"] = "5",
            ["Evergreen:ShutdownDrainDelay"] = "0",
        };
        foreach (var (id, address) in destinations)
        {
            configuration[$"services:{id}:http:0"] = address.ToString();
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(GatewayExtensions).Assembly.GetName().Name,
            EnvironmentName = Environments.Development,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("GATEWAY_TEST_LOGS") is "1")
        {
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Information);
        }

        builder.AddServiceDefaults();
        builder.AddGateway();
        var app = builder.Build();
        app.UseDestinationHeader();
        app.MapDefaultEndpoints();
        app.MapGatewayAdminApi();
        app.MapGatewayProxy();

        await app.StartAsync().DefaultTimeout();
        var listening = LoopbackApps.AddressOf(app.Services);
        return new GatewayTestHost(app, new Uri(listening));
    }

    public static Task<GatewayTestHost> StartAsync(TestBackend blue, TestBackend green, IReadOnlyDictionary<string, string?>? settings = null) =>
        StartAsync(new Dictionary<string, Uri> { [Blue] = blue.Address, [Green] = green.Address }, settings);

    public async Task SetWeightsAsync(int blue, int green)
    {
        using var response = await Admin.PutAsJsonAsync(
            "/admin/destinations",
            new SetWeightsRequest { Weights = new Dictionary<string, int> { [Blue] = blue, [Green] = green } },
            TestContext.Current.CancellationToken).DefaultTimeout();
        response.EnsureSuccessStatusCode();
    }

    public async Task<IReadOnlyList<GatewayDestination>> GetDestinationsAsync() =>
        (await Admin.GetFromJsonAsync<List<GatewayDestination>>("/admin/destinations", TestContext.Current.CancellationToken).DefaultTimeout())!;

    /// <summary>Sends GET <paramref name="path"/> and returns the status and the destination header.</summary>
    public async Task<(int Status, string? Destination)> GetAsync(string path, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        configure?.Invoke(request);
        using var response = await Client.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();
        return ((int)response.StatusCode, DestinationOf(response));
    }

    public static string? DestinationOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(DestinationHeader, out var values) ? values.Single() : null;

    /// <summary>Stops the gateway gracefully, as a shutdown signal does: requests in flight may finish.</summary>
    public Task StopAsync() => _app.StopAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync(new CancellationToken(canceled: true)).DefaultTimeout();
        await _app.DisposeAsync();
    }
}
