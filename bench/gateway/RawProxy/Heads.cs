using System.Buffers.Text;

namespace Evergreen.Bench.RawProxy;

/// <summary>Head rewriting: hop-by-hop headers out, the forwarding and destination headers in.</summary>
internal static class Heads
{
    public static int RewriteRequest(ReadOnlySpan<byte> head, Span<byte> destination)
    {
        var written = CopyLine(ref head, destination);
        while (!head.IsEmpty)
        {
            var line = NextLine(ref head);
            if (!IsNamed(line, "Connection"u8) && !IsNamed(line, "Host"u8))
            {
                written += Append(destination[written..], line, "\r\n"u8);
            }
        }

        return written + Append(destination[written..], "Host: 127.0.0.1\r\nX-Forwarded-For: 127.0.0.1\r\n\r\n"u8, default);
    }

    public static int RewriteResponse(ReadOnlySpan<byte> head, Span<byte> destination, ReadOnlySpan<byte> name, out long contentLength)
    {
        contentLength = -1;
        var written = CopyLine(ref head, destination);
        while (!head.IsEmpty)
        {
            var line = NextLine(ref head);
            if (IsNamed(line, "Content-Length"u8) && !Utf8Parser.TryParse(line["Content-Length:"u8.Length..].Trim((byte)' '), out contentLength, out _))
            {
                throw new InvalidDataException("Bad Content-Length.");
            }

            written += Append(destination[written..], line, "\r\n"u8);
        }

        written += Append(destination[written..], "X-Evergreen-Destination: "u8, name);
        return written + Append(destination[written..], "\r\n\r\n"u8, default);
    }

    private static int CopyLine(ref ReadOnlySpan<byte> head, Span<byte> destination) =>
        Append(destination, NextLine(ref head), "\r\n"u8);

    private static ReadOnlySpan<byte> NextLine(ref ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\r\n"u8);
        var line = head[..end];
        head = head[(end + 2)..];
        return line;
    }

    private static bool IsNamed(ReadOnlySpan<byte> line, ReadOnlySpan<byte> name) =>
        line.Length > name.Length && line[name.Length] == (byte)':' && System.Text.Ascii.EqualsIgnoreCase(line[..name.Length], name);

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        first.CopyTo(destination);
        second.CopyTo(destination[first.Length..]);
        return first.Length + second.Length;
    }
}
