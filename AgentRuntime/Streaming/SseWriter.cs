using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Agents;

namespace Evergreen.AgentRuntime.Streaming;

/// <summary>Writes server-sent events whose <c>data:</c> is one line of JSON with a <c>type</c> field.</summary>
internal static class SseWriter
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Sets the headers of an event stream and sends them.</summary>
    public static Task StartAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        return response.StartAsync(cancellationToken);
    }

    public static Task WriteAsync(HttpResponse response, AgentEvent agentEvent, CancellationToken cancellationToken) =>
        WriteJsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(agentEvent, Json), cancellationToken);

    public static Task WriteAsync<T>(HttpResponse response, T value, CancellationToken cancellationToken) =>
        WriteJsonAsync(response, JsonSerializer.SerializeToUtf8Bytes(value, Json), cancellationToken);

    /// <summary>A comment line, which clients ignore; keeps idle connections open through proxies.</summary>
    public static async Task WriteCommentAsync(HttpResponse response, string comment, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes($": {comment}\n\n"), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    private static async Task WriteJsonAsync(HttpResponse response, byte[] json, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(DataPrefix, cancellationToken);
        await response.Body.WriteAsync(json, cancellationToken);
        await response.Body.WriteAsync(EventEnd, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

/// <summary>The replica ends the stream before the run finished (the grace period of a shutdown ran out).</summary>
internal sealed record ShutdownEvent(string RunId, string Message)
{
    public string Type => "shutdown";
}
