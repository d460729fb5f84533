using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// Writes the HTTP/1.1 request head sent to a destination, with the transforms YARP applies to a route that declares
/// none: every request header except hop-by-hop ones; <c>Host</c> set to the destination; <c>X-Forwarded-For</c>,
/// <c>-Proto</c>, <c>-Host</c> and <c>-Prefix</c> set (replacing what the client sent) to this hop's values; and, when a
/// trace is being recorded, the trace context of <paramref name="activity"/> instead of the client's.
/// </summary>
internal static class RequestHead
{
    /// <summary>
    /// Headers that describe the client's connection or message framing, or that this hop sets itself: never copied to a
    /// destination (by this writer or by the connection lane's).
    /// </summary>
    private static readonly string[] SetByThisHop =
    [
        "Host", "Connection", "Keep-Alive", "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade",
        "Content-Length", "Expect", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix",
    ];

    private static readonly FrozenSet<string> NotCopied = SetByThisHop.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Trace-context headers, replaced by the gateway's own when it records a trace.</summary>
    private static readonly FrozenSet<string> TraceContext = new[]
    {
        "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>RFC 3986 <c>pchar</c> and <c>/</c>, without <c>%</c>: the characters a path is written with unescaped.</summary>
    private static readonly SearchValues<char> PathChars =
        SearchValues.Create("!$&'()*+,-./0123456789:;=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~");

    /// <summary>How the request body is framed towards the destination.</summary>
    public readonly record struct BodyFraming(long? ContentLength, bool Chunked)
    {
        public static readonly BodyFraming None = new(null, false);
    }

    /// <summary>True for a header name (as received) that is never copied to a destination.</summary>
    public static bool IsSetByThisHop(ReadOnlySpan<byte> name)
    {
        foreach (var known in SetByThisHop)
        {
            if (System.Text.Ascii.EqualsIgnoreCase(name, known))
            {
                return true;
            }
        }

        return false;
    }

    public static void Write(HeadBuffer head, HttpRequest request, BackendEndpoint endpoint, BodyFraming body, Activity? activity)
    {
        head.Clear();
        head.Write(request.Method);
        head.Write(" "u8);
        head.Write(endpoint.PathBaseBytes);
        WritePath(head, request.Path.HasValue ? request.Path.Value! : "/");
        head.Write(request.QueryString.Value ?? string.Empty);
        head.Write(" HTTP/1.1\r\nHost: "u8);
        head.Write(endpoint.AuthorityBytes);
        head.Write("\r\n"u8);

        var headers = request.Headers;
        var connectionOptions = ConnectionOptions(headers.Connection);
        foreach (var (name, values) in headers)
        {
            if (NotCopied.Contains(name)
                || (activity is not null && TraceContext.Contains(name))
                || (connectionOptions is not null && connectionOptions.Contains(name, StringComparer.OrdinalIgnoreCase)))
            {
                continue;
            }

            foreach (var value in values)
            {
                head.WriteHeader(name, value ?? string.Empty);
            }
        }

        WriteForwarded(head, request);
        if (activity is not null)
        {
            DistributedContextPropagator.Current.Inject(activity, head, static (carrier, name, value) =>
            {
                if (value is not null)
                {
                    ((HeadBuffer)carrier!).WriteHeader(name, value);
                }
            });
        }

        if (body.Chunked)
        {
            head.Write("Transfer-Encoding: chunked\r\n"u8);
        }
        else if (body.ContentLength is { } length)
        {
            head.Write("Content-Length: "u8);
            head.Write(length);
            head.Write("\r\n"u8);
        }

        head.Write("\r\n"u8);
    }

    /// <summary>
    /// Writes <paramref name="path"/> escaped so that the destination decodes it back to the same path. Kestrel has decoded
    /// every escape in it except <c>%2F</c>, so any other <c>%</c> is literal and must become <c>%25</c> again; not
    /// <see cref="PathString.ToUriComponent"/>, which keeps a valid-looking <c>%XX</c> as it is, so a destination would decode
    /// it a second time: <c>/v1/%252e%252e/health</c> would reach it as <c>/v1/%2e%2e/health</c> and be served as <c>/health</c>,
    /// outside the proxied <c>/v1</c> prefix. Like YARP's <c>RequestUtilities.EncodePath</c>, except that the kept <c>%2F</c>
    /// goes on as an encoded slash rather than as <c>%252F</c>.
    /// </summary>
    private static void WritePath(HeadBuffer head, string path)
    {
        var start = 0;
        while (true)
        {
            var found = path.AsSpan(start).IndexOfAnyExcept(PathChars);
            if (found < 0)
            {
                head.Write(path.AsSpan(start));
                return;
            }

            var i = start + found;
            head.Write(path.AsSpan(start, i - start));
            if (IsEncodedSlash(path, i))
            {
                head.Write("%2F"u8);
                start = i + 3;
                continue;
            }

            var length = char.IsHighSurrogate(path[i]) && i + 1 < path.Length && char.IsLowSurrogate(path[i + 1]) ? 2 : 1;
            head.Write(Uri.EscapeDataString(path.Substring(i, length)));
            start = i + length;
        }
    }

    private static bool IsEncodedSlash(string path, int i) =>
        path[i] == '%' && i + 2 < path.Length && path[i + 1] == '2' && (path[i + 2] is 'F' or 'f');

    private static void WriteForwarded(HeadBuffer head, HttpRequest request)
    {
        if (request.HttpContext.Connection.RemoteIpAddress is { } client)
        {
            head.Write("X-Forwarded-For: "u8);
            Span<char> text = stackalloc char[64];
            head.Write(client.TryFormat(text, out var written) ? text[..written] : client.ToString());
            head.Write("\r\n"u8);
        }

        head.Write("X-Forwarded-Proto: "u8);
        head.Write(request.Scheme);
        head.Write("\r\n"u8);
        if (request.Host.HasValue)
        {
            head.WriteHeader("X-Forwarded-Host", request.Host.Value);
        }

        if (request.PathBase.HasValue)
        {
            head.WriteHeader("X-Forwarded-Prefix", request.PathBase.ToUriComponent());
        }
    }

    /// <summary>
    /// Header names listed in the client's <c>Connection</c> header, which are about the client's connection only
    /// (RFC 9110 §7.6.1); null when it lists none beyond <c>keep-alive</c> and <c>close</c>, as almost always.
    /// </summary>
    private static string[]? ConnectionOptions(Microsoft.Extensions.Primitives.StringValues connection)
    {
        List<string>? options = null;
        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase) && !token.Equals("close", StringComparison.OrdinalIgnoreCase))
                {
                    (options ??= []).Add(token);
                }
            }
        }

        return options?.ToArray();
    }
}
