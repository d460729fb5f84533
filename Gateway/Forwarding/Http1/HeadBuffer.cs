using System.Buffers.Text;
using System.Text;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// A growable byte buffer for an HTTP/1.1 request head. Text is written as Latin-1, which maps every char Kestrel accepts
/// in a header to the byte it arrived as; Kestrel has already refused CR, LF and NUL in request headers.
/// </summary>
internal sealed class HeadBuffer(int initialBytes)
{
    private byte[] _bytes = new byte[initialBytes];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Written => _bytes.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public void Write(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        Length += Encoding.Latin1.GetBytes(text, _bytes.AsSpan(Length));
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    public void Write(long value)
    {
        Ensure(20);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(Length), out var written);
        Length += written;
    }

    public void WriteHexLine(int value)
    {
        Ensure(10);
        Utf8Formatter.TryFormat(value, _bytes.AsSpan(Length), out var written, new System.Buffers.StandardFormat('x'));
        Length += written;
        Write("\r\n"u8);
    }

    public void WriteHeader(string name, string value)
    {
        Write(name);
        Write(": "u8);
        Write(value);
        Write("\r\n"u8);
    }

    /// <summary>Reserves <paramref name="count"/> bytes at the end for the caller to fill, then <see cref="Advance"/>.</summary>
    public Memory<byte> Reserve(int count)
    {
        Ensure(count);
        return _bytes.AsMemory(Length, count);
    }

    public void Advance(int count) => Length += count;

    private void Ensure(int more)
    {
        if (_bytes.Length - Length < more)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
        }
    }
}
