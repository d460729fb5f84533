using System.Text.Json;
using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// <c>POST /v1/feedback {runId, …}</c> goes to the replica that served the run: only it knows which revision did, and the
/// run id names it the way a stream session id does (<c>blue.…</c>). The body is already buffered by the admission step,
/// so it is read here and rewound for forwarding.
/// </summary>
internal static class FeedbackRun
{
    private const string Path = "/v1/feedback";
    private const int MaxInspectedBytes = 64 * 1024;

    public static bool Applies(HttpRequest request) => Applies(HttpMethods.IsPost(request.Method), request.Path.Value);

    /// <summary>The same for a request given by whether it is a POST and by its decoded path (the connection lane's case).</summary>
    public static bool Applies(bool isPost, ReadOnlySpan<char> path) => isPost && path.Equals(Path, StringComparison.OrdinalIgnoreCase);

    /// <summary>The catalog index of the destination named by the body's <c>runId</c>, or -1 (no run id, not JSON, unknown owner).</summary>
    public static async ValueTask<int> OwnerIndexAsync(HttpRequest request, DestinationCatalog catalog, CancellationToken cancellationToken)
    {
        if (!request.Body.CanSeek || request.Body.Length is 0 or > MaxInspectedBytes)
        {
            return -1;
        }

        var body = new byte[request.Body.Length];
        try
        {
            await request.Body.ReadExactlyAsync(body, cancellationToken);
        }
        finally
        {
            request.Body.Position = 0;
        }

        return OwnerIndex(body, catalog);
    }

    /// <summary>The catalog index of the destination named by a JSON body's <c>runId</c>, or -1.</summary>
    public static int OwnerIndex(ReadOnlySpan<byte> body, DestinationCatalog catalog) =>
        body.Length is > 0 and <= MaxInspectedBytes && RunId(body) is { } runId ? StreamSession.OwnerIndex(runId, catalog) : -1;

    private static string? RunId(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("runId"))
                {
                    return reader.Read() && reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                }

                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: the replica answers 400 itself.
        }

        return null;
    }
}
