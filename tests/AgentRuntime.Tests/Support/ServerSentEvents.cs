using System.Text.Json;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>Reads <c>data:</c> events of a server-sent-event response as JSON, one at a time.</summary>
internal sealed class ServerSentEvents(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream);

    /// <summary>The next event, or null when the stream ended.</summary>
    public async Task<JsonElement?> NextAsync(CancellationToken cancellationToken)
    {
        string? data = null;
        while (await _reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
            else if (line.Length == 0 && data is not null)
            {
                return JsonDocument.Parse(data).RootElement.Clone();
            }
        }

        return null;
    }

    /// <summary>Every event until the stream ends.</summary>
    public async Task<List<JsonElement>> ReadToEndAsync(CancellationToken cancellationToken)
    {
        var events = new List<JsonElement>();
        while (await NextAsync(cancellationToken) is { } next)
        {
            events.Add(next);
        }

        return events;
    }

    public void Dispose() => _reader.Dispose();
}
