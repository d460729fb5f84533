using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// The bytes of an HTTP/1.1 head — a request head sent to a destination (with a small body or a chunk), or a response
/// head the connection lane sends to a client — over the framework's growable <see cref="ArrayBufferWriter{T}"/>. Text is
/// written as Latin-1, which maps every char Kestrel accepts in a header to the byte it arrived as; Kestrel has already
/// refused CR, LF and NUL in request headers, and the lane forwards only visible ASCII.
/// </summary>
internal sealed class HeadBuffer(int initialBytes)
{
    private readonly ArrayBufferWriter<byte> _bytes = new(initialBytes);

    public ReadOnlyMemory<byte> Written => _bytes.WrittenMemory;

    /// <summary>Starts again from empty, keeping the memory (nothing is zeroed: every byte is overwritten before it is sent).</summary>
    public void Clear() => _bytes.ResetWrittenCount();

    public void Write(ReadOnlySpan<char> text) =>
        _bytes.Advance(Encoding.Latin1.GetBytes(text, _bytes.GetSpan(text.Length)));

    public void Write(ReadOnlySpan<byte> bytes) => _bytes.Write(bytes);

    public void Write(long value)
    {
        Utf8Formatter.TryFormat(value, _bytes.GetSpan(20), out var written);
        _bytes.Advance(written);
    }

    public void WriteHexLine(int value) => _bytes.WriteChunkSizeLine(value);

    public void WriteHeader(string name, string value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end for the caller to fill, then <see cref="Advance"/>.</summary>
    public Memory<byte> Reserve(int count) => _bytes.GetMemory(count)[..count];

    public void Advance(int count) => _bytes.Advance(count);
}
