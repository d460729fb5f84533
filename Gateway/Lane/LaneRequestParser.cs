using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Lane;

/// <summary>What the parser made of the bytes received from the client and not yet served.</summary>
internal enum LaneParse
{
    /// <summary>The head or body has not fully arrived yet.</summary>
    Incomplete,

    /// <summary>A request the lane serves; <see cref="LaneRequest"/> describes it.</summary>
    Ready,

    /// <summary>Anything else: Kestrel's HTTP layer and YARP's pipeline take the connection from this request on.</summary>
    NotForLane,
}

/// <summary>
/// Reads an HTTP/1.1 request head for the connection lane, strictly: the lane serves only requests it can read exactly one
/// way and forward byte for byte, and leaves everything else to Kestrel, which has the full parser, the limits and the
/// error answers. So anything unusual is not an error here but <see cref="LaneParse.NotForLane"/>:
/// <list type="bullet">
/// <item>a method other than GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS; a version other than HTTP/1.1;</item>
/// <item>a target outside <c>/v1</c>, with a <c>%</c> escape, a dot segment or any character a path is not written with
/// (so the destination reads the same path the gateway routed: no decoding, no normalisation in between);</item>
/// <item>a header line that is not <c>token: visible ASCII</c>; no <c>Host</c> or two; <c>Transfer-Encoding</c>,
/// <c>Expect</c> or <c>Upgrade</c>; a <c>Content-Length</c> that is repeated, not plain digits or over
/// <see cref="LaneRequest.MaxBodyBytes"/>; a <c>Connection</c> option other than <c>close</c> and <c>keep-alive</c>;</item>
/// <item>a missing or wrong API key (Kestrel's path answers 401); a cookie value that would need decoding.</item>
/// </list>
/// A request with both <c>Content-Length</c> and <c>Transfer-Encoding</c> — the classic smuggling pair — therefore never
/// reaches the lane's framing.
/// </summary>
internal sealed class LaneRequestParser(GatewayOptions options, ApiKeyValidator apiKeys, DestinationCatalog catalog)
{
    private const int MaxHeaderLines = 100;

    /// <summary>RFC 3986 <c>pchar</c> and <c>/</c>, without <c>%</c>: a path that needs no decoding.</summary>
    private static readonly SearchValues<byte> PathChars =
        SearchValues.Create("!$&'()*+,-./0123456789:;=@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz~"u8);

    /// <summary>What a <c>Host</c> value is written with: a name or an address, and a port.</summary>
    private static readonly SearchValues<byte> HostChars =
        SearchValues.Create("-.:[]_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>What a header value may hold in the lane: HTAB and 0x20–0x7E.</summary>
    private static readonly SearchValues<byte> FieldValueChars = SearchValues.Create(
        [(byte)'\t', .. Enumerable.Range(0x20, 0x7E - 0x20 + 1).Select(b => (byte)b)]);

    private static readonly SearchValues<byte> TokenChars = SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    private readonly long _maxBody = Math.Min(LaneRequest.MaxBodyBytes, options.MaxRequestBodyBytes);

    public LaneParse Parse(in ReadOnlySequence<byte> buffer, LaneRequest request)
    {
        var headLength = FindHeadEnd(buffer);
        if (headLength < 0)
        {
            return buffer.Length >= LaneRequest.MaxHeadBytes ? LaneParse.NotForLane : LaneParse.Incomplete;
        }

        if (headLength > LaneRequest.MaxHeadBytes)
        {
            return LaneParse.NotForLane;
        }

        request.Reset(headLength);
        buffer.Slice(0, headLength).CopyTo(request.Head);
        if (!ReadRequestLine(request, out var linesStart) || !ReadHeaders(request, linesStart))
        {
            return LaneParse.NotForLane;
        }

        var length = Math.Max(request.ContentLength, 0);
        if (buffer.Length < headLength + length)
        {
            return LaneParse.Incomplete;
        }

        request.Body = buffer.Slice(headLength, length);
        request.End = buffer.GetPosition(headLength + length);
        request.OwnerIndex = OwnerIndex(request);
        return LaneParse.Ready;
    }

    private static int FindHeadEnd(in ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            var end = buffer.FirstSpan.IndexOf("\r\n\r\n"u8);
            return end < 0 ? -1 : end + 4;
        }

        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> head, "\r\n\r\n"u8) ? (int)Math.Min(head.Length + 4, int.MaxValue) : -1;
    }

    /// <summary>"METHOD /v1/... HTTP/1.1\r\n".</summary>
    private static bool ReadRequestLine(LaneRequest request, out int linesStart)
    {
        var head = request.Head.AsSpan(0, request.HeadLength);
        var lineEnd = head.IndexOf("\r\n"u8);
        linesStart = lineEnd + 2;
        var line = head[..lineEnd];

        var methodEnd = line.IndexOf((byte)' ');
        if (methodEnd < 0 || !IsServedMethod(line[..methodEnd]))
        {
            return false;
        }

        var targetEnd = line[(methodEnd + 1)..].IndexOf((byte)' ');
        if (targetEnd < 0 || !line[(methodEnd + 1 + targetEnd + 1)..].SequenceEqual("HTTP/1.1"u8))
        {
            return false;
        }

        var target = line.Slice(methodEnd + 1, targetEnd);
        var question = target.IndexOf((byte)'?');
        var path = question < 0 ? target : target[..question];
        if (!IsProxiedPath(path) || (question >= 0 && target[(question + 1)..].IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) >= 0)
            || (question >= 0 && target[(question + 1)..].Contains((byte)'#')))
        {
            return false;
        }

        request.Method = new Range(0, methodEnd);
        request.Target = new Range(methodEnd + 1, methodEnd + 1 + targetEnd);
        request.PathLength = path.Length;
        return true;
    }

    private static bool IsServedMethod(ReadOnlySpan<byte> method) =>
        method.SequenceEqual("GET"u8) || method.SequenceEqual("POST"u8) || method.SequenceEqual("HEAD"u8)
        || method.SequenceEqual("PUT"u8) || method.SequenceEqual("DELETE"u8) || method.SequenceEqual("PATCH"u8)
        || method.SequenceEqual("OPTIONS"u8);

    /// <summary><c>/v1</c> or below it, in characters that need no decoding, without <c>.</c> or <c>..</c> segments.</summary>
    private static bool IsProxiedPath(ReadOnlySpan<byte> path) =>
        path.StartsWith("/v1"u8) && (path.Length == 3 || path[3] == (byte)'/')
        && path.IndexOfAnyExcept(PathChars) < 0
        && path.IndexOf("/./"u8) < 0 && path.IndexOf("/../"u8) < 0 && !path.EndsWith("/."u8) && !path.EndsWith("/.."u8);

    private bool ReadHeaders(LaneRequest request, int position)
    {
        var head = request.Head.AsSpan(0, request.HeadLength);
        var hostSeen = false;
        var apiKeySeen = false;
        Range cookie = default;
        for (var count = 0; ; count++)
        {
            var lineLength = head[position..].IndexOf("\r\n"u8);
            if (lineLength == 0)
            {
                break;
            }

            if (count == MaxHeaderLines)
            {
                return false;
            }

            var line = head.Slice(position, lineLength);
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[..colon].IndexOfAnyExcept(TokenChars) >= 0 || !IsVisibleText(line[(colon + 1)..]))
            {
                return false;
            }

            var name = line[..colon];
            var raw = line[(colon + 1)..];
            var leading = raw.Length - raw.TrimStart(" \t"u8).Length;
            var value = raw[leading..].TrimEnd(" \t"u8);
            var valueRange = new Range(position + colon + 1 + leading, position + colon + 1 + leading + value.Length);
            var lineRange = new Range(position, position + lineLength + 2);
            position += lineLength + 2;

            switch (Classify(name))
            {
                case HeaderKind.Host when !hostSeen && !value.IsEmpty && value.IndexOfAnyExcept(HostChars) < 0:
                    hostSeen = true;
                    request.Host = valueRange;
                    break;
                case HeaderKind.ContentLength when request.ContentLength < 0 && TryReadLength(value, out var length):
                    request.ContentLength = length;
                    break;
                case HeaderKind.Connection when TryReadConnection(value, out var close):
                    request.KeepAlive &= !close;
                    break;
                case HeaderKind.Dropped:
                    break;
                case HeaderKind.ApiKey when apiKeys.Enabled:
                    if (apiKeySeen || !apiKeys.IsValid(Encoding.ASCII.GetString(value)))
                    {
                        return false;
                    }

                    // The key is for the gateway; replicas never see it.
                    apiKeySeen = true;
                    break;
                case HeaderKind.UserId:
                    if (request.UserId is null && !value.IsEmpty)
                    {
                        request.UserId = Encoding.ASCII.GetString(value);
                    }

                    request.Forward(lineRange);
                    break;
                case HeaderKind.Cookie when cookie.Equals(default):
                    cookie = valueRange;
                    request.Forward(lineRange);
                    break;
                case HeaderKind.Accept:
                    request.Accept = request.Accept.Equals(default) ? valueRange : request.Accept;
                    request.Forward(lineRange);
                    break;
                case HeaderKind.Other:
                case HeaderKind.ApiKey:
                    request.Forward(lineRange);
                    break;
                default:
                    // A second Host, Content-Length or Cookie, Transfer-Encoding, Expect, Upgrade, or an unusual Connection option.
                    return false;
            }
        }

        if (!hostSeen || (apiKeys.Enabled && !apiKeySeen))
        {
            return false;
        }

        return request.UserId is not null || cookie.Equals(default) || TryReadUserCookie(request, head[cookie]);
    }

    /// <summary>Visible ASCII, spaces and tabs only: no control character, no byte above 0x7E.</summary>
    private static bool IsVisibleText(ReadOnlySpan<byte> value) => value.IndexOfAnyExcept(FieldValueChars) < 0;

    /// <summary>Plain digits within the lane's body limit (a longer body goes to Kestrel, which streams it or answers 413).</summary>
    private bool TryReadLength(ReadOnlySpan<byte> value, out long length)
    {
        length = 0;
        return value.Length is > 0 and <= 7 && value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0
            && Utf8Parser.TryParse(value, out length, out _) && length <= _maxBody;
    }

    private static bool TryReadConnection(ReadOnlySpan<byte> value, out bool close)
    {
        close = false;
        foreach (var range in value.Split((byte)','))
        {
            var token = value[range].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(token, "close"u8))
            {
                close = true;
            }
            else if (!Ascii.EqualsIgnoreCase(token, "keep-alive"u8) && !token.IsEmpty)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The <c>evergreen-uid</c> cookie as the sticky user; false (not for the lane) when its value would need decoding.</summary>
    private static bool TryReadUserCookie(LaneRequest request, ReadOnlySpan<byte> cookies)
    {
        foreach (var range in cookies.Split((byte)';'))
        {
            var pair = cookies[range].Trim(" \t"u8);
            var equals = pair.IndexOf((byte)'=');
            if (equals < 0 || !Ascii.EqualsIgnoreCase(pair[..equals], UserIdentity.CookieName))
            {
                continue;
            }

            var value = pair[(equals + 1)..];
            if (value.IndexOfAny((byte)'%', (byte)'"') >= 0)
            {
                return false;
            }

            request.UserId = value.IsEmpty ? null : Encoding.ASCII.GetString(value);
            return true;
        }

        return true;
    }

    /// <summary>The replica named by a stream session or run id, by the same rules as Kestrel's path (see <see cref="StreamSession"/>).</summary>
    private int OwnerIndex(LaneRequest request)
    {
        // The path is plain ASCII (checked above), so widening it gives the decoded path Kestrel's path would see.
        var bytes = request.Path;
        Span<char> path = bytes.Length <= 256 ? stackalloc char[bytes.Length] : new char[bytes.Length];
        Ascii.ToUtf16(bytes, path, out _);
        var method = request.MethodBytes;
        if (FeedbackRun.Applies(method.SequenceEqual("POST"u8), path))
        {
            return FeedbackRun.OwnerIndex(request.Body.ToArray(), catalog);
        }

        return StreamSession.OwnerIndex(method.SequenceEqual("GET"u8), path, catalog);
    }

    private static HeaderKind Classify(ReadOnlySpan<byte> name) => name switch
    {
        _ when Ascii.EqualsIgnoreCase(name, "Host"u8) => HeaderKind.Host,
        _ when Ascii.EqualsIgnoreCase(name, "Content-Length"u8) => HeaderKind.ContentLength,
        _ when Ascii.EqualsIgnoreCase(name, "Connection"u8) => HeaderKind.Connection,
        _ when Ascii.EqualsIgnoreCase(name, UserIdentity.HeaderName) => HeaderKind.UserId,
        _ when Ascii.EqualsIgnoreCase(name, "Cookie"u8) => HeaderKind.Cookie,
        _ when Ascii.EqualsIgnoreCase(name, "Accept"u8) => HeaderKind.Accept,
        _ when Ascii.EqualsIgnoreCase(name, ApiKeyValidator.HeaderName) => HeaderKind.ApiKey,
        _ when Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8) => HeaderKind.NotForLane,
        _ when Ascii.EqualsIgnoreCase(name, "Expect"u8) => HeaderKind.NotForLane,
        _ when Ascii.EqualsIgnoreCase(name, "Upgrade"u8) => HeaderKind.NotForLane,
        _ when Ascii.EqualsIgnoreCase(name, "HTTP2-Settings"u8) => HeaderKind.NotForLane,
        _ when RequestHead.IsSetByThisHop(name) => HeaderKind.Dropped,
        _ => HeaderKind.Other,
    };

    private enum HeaderKind
    {
        Other,
        Host,
        ContentLength,
        Connection,
        UserId,
        Cookie,
        Accept,
        ApiKey,
        Dropped,
        NotForLane,
    }
}
