using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.AppHost.Control;

/// <summary>The dashboard and control API: a small Kestrel server on loopback, started first so progress is visible.</summary>
internal sealed class ControlServer(DistributedApplication application, int port) : IAsyncDisposable
{
    private WebApplication? _web;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Hosting.Network.PortAvailability.EnsureFree(port, "dashboard", "--AppHost:DashboardPort=<port>");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ControlServer).Assembly.GetName().Name });
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(application);
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase);

        var web = builder.Build();
        web.UseExceptionHandler();
        web.UseStatusCodePages();
        web.MapDashboard();
        web.MapResourcesApi();
        web.MapTelemetryApi();
        await web.StartAsync(cancellationToken);
        _web = web;
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _web, null) is { } web)
        {
            await web.StopAsync(CancellationToken.None);
            await web.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
