using System.Collections.Concurrent;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Kestrel server on 127.0.0.1 standing in for a runtime replica. It answers <c>/health/ready</c>, echoes its name
/// and the request body on <c>/v1/**</c>, records every <c>X-Request-Id</c> that reached its handler, holds
/// <c>/v1/slow</c> until <see cref="ReleaseSlowRequests"/>, aborts the connection on <c>/v1/abort</c>, and can be killed.
/// </summary>
internal sealed class TestBackend : IAsyncDisposable
{
    public const string RequestIdHeader = "X-Request-Id";
    private readonly WebApplication _app;
    private TaskCompletionSource _slowGate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _stopped;

    private TestBackend(string name, WebApplication app)
    {
        Name = name;
        _app = app;
    }

    public string Name { get; }

    public Uri Address { get; private set; } = null!;

    public bool Ready { get; set; } = true;

    public int InFlight => Volatile.Read(ref _inFlight);

    public ConcurrentDictionary<string, byte> ReceivedRequestIds { get; } = new(StringComparer.Ordinal);

    public int RequestCount => ReceivedRequestIds.Count;

    /// <summary>Values of <c>X-Api-Key</c> that reached this backend; the gateway should strip them.</summary>
    public ConcurrentQueue<string> ApiKeysSeen { get; } = new();

    public static async Task<TestBackend> StartAsync(string name)
    {
        var app = LoopbackApps.CreateSlim();
        var backend = new TestBackend(name, app);
        backend.Map(app);
        await app.StartAsync().DefaultTimeout();
        var address = LoopbackApps.AddressOf(app.Services);
        backend.Address = new Uri(address);
        return backend;
    }

    public void ReleaseSlowRequests()
    {
        var gate = Interlocked.Exchange(ref _slowGate, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        gate.TrySetResult();
    }

    /// <summary>Stops abruptly: the listener closes and open connections are aborted, like a crashed process.</summary>
    public async Task KillAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.StopAsync(new CancellationToken(canceled: true)).DefaultTimeout();
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReleaseSlowRequests();
        await KillAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/health/ready", () => Ready ? Results.Ok("ready") : Results.StatusCode(StatusCodes.Status503ServiceUnavailable));
        app.Map("/v1/slow", async (HttpContext context) =>
        {
            Record(context);
            Interlocked.Increment(ref _inFlight);
            try
            {
                await Volatile.Read(ref _slowGate).Task.WaitAsync(context.RequestAborted);
                return Results.Text(Name);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        });
        app.Map("/v1/abort", (HttpContext context) =>
        {
            Record(context);
            context.Abort();
            return Results.Empty;
        });
        app.Map("/v1/status/{code:int}", (HttpContext context, int code) =>
        {
            Record(context);
            return Results.StatusCode(code);
        });
        app.Map("/v1/{**rest}", async (HttpContext context) =>
        {
            Record(context);
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            return Results.Text(body.Length == 0 ? Name : $"{Name}|{body}");
        });
    }

    private void Record(HttpContext context)
    {
        if (context.Request.Headers["X-Api-Key"].ToString() is { Length: > 0 } apiKey)
        {
            ApiKeysSeen.Enqueue(apiKey);
        }

        if (context.Request.Headers[RequestIdHeader].ToString() is { Length: > 0 } id)
        {
            ReceivedRequestIds.TryAdd(id, 0);
        }
        else
        {
            ReceivedRequestIds.TryAdd(Guid.NewGuid().ToString("N"), 0);
        }
    }
}
