using System.Buffers;
using System.Buffers.Text;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>The framing of a chunked HTTP/1.1 body, written the same way to destinations and to the lane's clients.</summary>
internal static class ChunkFraming
{
    /// <summary>A chunk's size line: the size in hexadecimal and CRLF.</summary>
    public static void WriteChunkSizeLine(this IBufferWriter<byte> writer, int size)
    {
        var line = writer.GetSpan(10);
        Utf8Formatter.TryFormat(size, line, out var written, new StandardFormat('x'));
        "\r\n"u8.CopyTo(line[written..]);
        writer.Advance(written + 2);
    }
}
