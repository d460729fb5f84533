using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>
/// A real HTTP relay in front of the real ConfigStore that, when told to, damages the snapshot of one revision:
/// <see cref="Tampering.CorruptBody"/> flips bytes but keeps ConfigStore's ETag (a transfer corruption);
/// <see cref="Tampering.DuplicatePlugin"/> adds a second plugin of the same name and sends a matching ETag (a snapshot
/// that passes the checksum but must fail validation). Everything else is passed through unchanged.
/// </summary>
internal sealed class TamperingRelay : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream;

    private TamperingRelay(WebApplication app, HttpClient upstream)
    {
        _app = app;
        _upstream = upstream;
    }

    public enum Tampering
    {
        None,
        CorruptBody,
        DuplicatePlugin,
    }

    public Uri Address { get; private set; } = null!;

    /// <summary>The revision whose snapshot is damaged, and how.</summary>
    public (string Revision, Tampering How)? Target { get; set; }

    public static async Task<TamperingRelay> StartAsync(Uri upstream)
    {
        var app = LoopbackApps.CreateSlim();
        var relay = new TamperingRelay(app, new HttpClient { BaseAddress = upstream, Timeout = TimeSpan.FromSeconds(30) });
        app.Run(relay.RelayAsync);
        await app.StartAsync().DefaultTimeout();
        relay.Address = new Uri(LoopbackApps.AddressOf(app.Services));
        return relay;
    }

    public async ValueTask DisposeAsync()
    {
        _upstream.Dispose();
        await _app.StopAsync(new CancellationToken(canceled: true)).DefaultTimeout();
        await _app.DisposeAsync();
    }

    private async Task RelayAsync(HttpContext context)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), context.Request.Path + context.Request.QueryString);
        using var response = await _upstream.SendAsync(request, context.RequestAborted);
        var body = await response.Content.ReadAsByteArrayAsync(context.RequestAborted);
        var etag = response.Headers.ETag?.Tag;
        if (Target is var (revision, how) && context.Request.Path == $"/api/revisions/{revision}/snapshot" && response.IsSuccessStatusCode)
        {
            (body, etag) = how switch
            {
                Tampering.CorruptBody => (Corrupt(body), etag),
                Tampering.DuplicatePlugin => WithDuplicatePlugin(body),
                _ => (body, etag),
            };
        }

        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        if (etag is not null)
        {
            context.Response.Headers.ETag = etag;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static byte[] Corrupt(byte[] body)
    {
        var text = System.Text.Encoding.UTF8.GetString(body);
        // Still valid JSON, different content: only the checksum can tell.
        return System.Text.Encoding.UTF8.GetBytes(text.Replace("Review version", "Reveiw version", StringComparison.Ordinal));
    }

    private static (byte[] Body, string ETag) WithDuplicatePlugin(byte[] body)
    {
        var catalog = JsonNode.Parse(body)!.AsObject();
        var plugins = catalog["plugins"]!.AsArray();
        plugins.Add(plugins[0]!.DeepClone());
        var bytes = System.Text.Encoding.UTF8.GetBytes(catalog.ToJsonString());
        return (bytes, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))}\"");
    }
}
