using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// An OTLP/HTTP (binary protobuf) receiver on <c>http://127.0.0.1:&lt;port&gt;</c>, its own small Kestrel server, that
/// puts the traces and logs it receives into a <see cref="TelemetryStore"/>. Loopback only and unauthenticated, like
/// Aspire's. Start and stop are idempotent; a stopped receiver cannot start again. The caller owns the store.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    /// <summary>The OTLP/HTTP port of the specification (DESIGN.md §4a).</summary>
    public const int DefaultPort = 4318;

    private readonly TimeProvider _time;
    private WebApplication? _web;
    private int _state;

    /// <summary>Creates a receiver that will listen on <paramref name="port"/> once started.</summary>
    public OtlpReceiver(TelemetryStore store, int port, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        Store = store;
        Port = port;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where received telemetry goes.</summary>
    public TelemetryStore Store { get; }

    /// <summary>The loopback port.</summary>
    public int Port { get; }

    /// <summary>The base address exporters use as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (signal paths <c>/v1/…</c> go below it).</summary>
    public Uri Url => new($"http://127.0.0.1:{Port}");

    /// <summary>Starts listening. Throws <see cref="Hosting.HostingException"/> naming the fix when the port is taken.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            return;
        }

        Hosting.Network.PortAvailability.EnsureFree(Port, "otlp", "--Ports:otlp=<port>");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OtlpReceiver).Assembly.GetName().Name });
        builder.WebHost.UseUrls(Url.ToString().TrimEnd('/'));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = OtlpPayload.MaxRequestBytes);
        builder.Logging.ClearProviders();
        builder.Services.AddProblemDetails();
        builder.Services.AddSingleton(Store);
        builder.Services.AddSingleton(_time);

        var web = builder.Build();
        web.UseExceptionHandler();
        web.UseStatusCodePages();
        web.MapOtlpIngestApi();
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch
        {
            await web.DisposeAsync();
            throw;
        }

        _web = web;
    }

    /// <summary>Stops listening; requests in flight finish first. Idempotent.</summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref _state, 2);
        if (Interlocked.Exchange(ref _web, null) is { } web)
        {
            await web.StopAsync(CancellationToken.None);
            await web.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync();
}
