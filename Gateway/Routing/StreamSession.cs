using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// <c>GET /v1/stream/{sessionId}</c> goes to the replica that owns the session, even while that replica drains (weight 0),
/// as long as it is alive. A session id names its owner by a prefix: the destination id or the replica name, followed by
/// one of <c>. _ - ~ :</c> — e.g. <c>blue.7f3a…</c>, <c>blue-7f3a…</c> or <c>agentruntime-blue.7f3a…</c>. The longest
/// matching name wins. Allocation-free.
/// </summary>
internal static class StreamSession
{
    private const string Prefix = "/v1/stream/";

    /// <summary>The catalog index of the destination named by the request's session id, or -1.</summary>
    public static int OwnerIndex(HttpRequest request, DestinationCatalog catalog) =>
        OwnerIndex(HttpMethods.IsGet(request.Method), request.Path.Value, catalog);

    /// <summary>The same for a request given by whether it is a GET and by its decoded path (the connection lane's case).</summary>
    public static int OwnerIndex(bool isGet, ReadOnlySpan<char> path, DestinationCatalog catalog)
    {
        if (!isGet || !path.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return -1;
        }

        var sessionId = path[Prefix.Length..];
        var slash = sessionId.IndexOf('/');
        return OwnerIndex(slash < 0 ? sessionId : sessionId[..slash], catalog);
    }

    public static int OwnerIndex(ReadOnlySpan<char> sessionId, DestinationCatalog catalog)
    {
        var best = -1;
        var bestLength = 0;
        foreach (var destination in catalog.Destinations)
        {
            var length = Math.Max(MatchLength(sessionId, destination.Id), MatchLength(sessionId, destination.Replica));
            if (length > bestLength)
            {
                best = destination.Index;
                bestLength = length;
            }
        }

        return best;
    }

    private static int MatchLength(ReadOnlySpan<char> sessionId, string name) =>
        sessionId.Length > name.Length + 1
        && sessionId.StartsWith(name, StringComparison.OrdinalIgnoreCase)
        && sessionId[name.Length] is '.' or '_' or '-' or '~' or ':'
            ? name.Length
            : 0;
}
