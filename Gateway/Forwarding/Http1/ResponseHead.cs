using System.Buffers.Text;
using System.Text;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>How a response body is delimited (RFC 9112 §6.3).</summary>
internal enum ResponseFraming
{
    /// <summary>No body: a response to HEAD, or 1xx, 204, 304.</summary>
    None,
    ContentLength,
    Chunked,

    /// <summary>The body ends when the destination closes the connection.</summary>
    UntilClose,
}

/// <summary>What the forwarder needs from a response head; its other headers have been copied to the client's response.</summary>
internal readonly record struct ResponseHeadInfo(int StatusCode, ResponseFraming Framing, long ContentLength, bool KeepAlive);

/// <summary>
/// Parses a destination's HTTP/1.1 response head and copies it to the client's response (an <see cref="IResponseSink"/>),
/// leaving out hop-by-hop headers.
/// Strict where leniency would let a response be read two ways (obsolete line folding, space before a colon, conflicting
/// lengths): such a head is refused with <see cref="InvalidDataException"/>, and the client gets 502.
/// </summary>
internal static class ResponseHead
{
    /// <summary>The length of the head including its blank line, or -1 when it has not fully arrived.</summary>
    public static int FindEnd(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>The status code of a head; 1xx heads are interim and their headers are not copied.</summary>
    /// <exception cref="InvalidDataException">Not an HTTP/1.x status line.</exception>
    public static int StatusCode(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 200 OK": version, space, three digits, then a space or the end of the line.
        if (head.Length < 14 || !head.StartsWith("HTTP/1."u8) || head[8] != (byte)' '
            || !Utf8Parser.TryParse(head.Slice(9, 3), out int status, out var consumed) || consumed != 3 || status < 100
            || head[12] is not ((byte)' ' or (byte)'\r'))
        {
            throw new InvalidDataException("The destination did not answer with an HTTP/1.x status line.");
        }

        return status;
    }

    /// <summary>Copies a final (non-1xx) head to <paramref name="sink"/> and says how its body is framed.</summary>
    /// <param name="head">The head, from the status line to its blank line.</param>
    /// <param name="status">Its status code, already read by <see cref="StatusCode"/>.</param>
    /// <param name="requestIsHead">The request was HEAD: no body follows whatever the headers say.</param>
    /// <exception cref="InvalidDataException">The head is malformed or ambiguous.</exception>
    public static ResponseHeadInfo CopyTo<TSink>(TSink sink, ReadOnlySpan<byte> head, int status, bool requestIsHead)
        where TSink : IResponseSink
    {
        var keepAlive = head[7] == (byte)'1';
        long contentLength = -1;
        var chunked = false;
        var transferEncoding = false;

        sink.SetStatus(status);
        var lines = head[(head.IndexOf("\r\n"u8) + 2)..^2];
        while (!lines.IsEmpty)
        {
            var lineEnd = lines.IndexOf("\r\n"u8);
            var line = lines[..lineEnd];
            lines = lines[(lineEnd + 2)..];

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon]))
            {
                throw new InvalidDataException("The destination sent a malformed header line.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Is(name, "Content-Length"))
            {
                if (!Utf8Parser.TryParse(value, out long length, out var consumed) || consumed != value.Length || length < 0
                    || (contentLength >= 0 && contentLength != length))
                {
                    throw new InvalidDataException("The destination sent an invalid or conflicting Content-Length.");
                }

                contentLength = length;
            }
            else if (Is(name, "Transfer-Encoding"))
            {
                transferEncoding = true;
                chunked = LastCodingIsChunked(value);
            }
            else if (Is(name, "Connection"))
            {
                keepAlive &= !ContainsToken(value, "close"u8);
            }
            else if (!Is(name, "Keep-Alive") && !Is(name, "Proxy-Connection") && !Is(name, "Upgrade")
                     && !Is(name, "Trailer") && !Is(name, "TE"))
            {
                sink.AddHeader(name, value);
            }
        }

        if (requestIsHead || status is 204 or 304)
        {
            if (requestIsHead && contentLength >= 0 && !transferEncoding)
            {
                sink.ContentLength = contentLength;
            }

            return new ResponseHeadInfo(status, ResponseFraming.None, 0, keepAlive);
        }

        if (transferEncoding)
        {
            // A body framed both ways is a smuggling vector: read it by its transfer coding, never reuse the connection.
            return chunked
                ? new ResponseHeadInfo(status, ResponseFraming.Chunked, -1, keepAlive && contentLength < 0)
                : new ResponseHeadInfo(status, ResponseFraming.UntilClose, -1, false);
        }

        if (contentLength >= 0)
        {
            sink.ContentLength = contentLength;
            return new ResponseHeadInfo(status, ResponseFraming.ContentLength, contentLength, keepAlive);
        }

        return new ResponseHeadInfo(status, ResponseFraming.UntilClose, -1, false);
    }

    private static bool Is(ReadOnlySpan<byte> name, string known) =>
        name.Length == known.Length && Ascii.EqualsIgnoreCase(name, known);

    private static bool LastCodingIsChunked(ReadOnlySpan<byte> value)
    {
        var comma = value.LastIndexOf((byte)',');
        var last = (comma < 0 ? value : value[(comma + 1)..]).Trim(" \t"u8);
        return Ascii.EqualsIgnoreCase(last, "chunked"u8);
    }

    private static bool ContainsToken(ReadOnlySpan<byte> value, ReadOnlySpan<byte> token)
    {
        foreach (var range in value.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(value[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>RFC 9110 token characters: a header name with a space, a control character or a delimiter is refused.</summary>
    private static bool IsToken(ReadOnlySpan<byte> name) =>
        name.IndexOfAnyExcept(TokenChars) < 0;

    private static readonly System.Buffers.SearchValues<byte> TokenChars = System.Buffers.SearchValues.Create(
        "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
}
