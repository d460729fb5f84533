using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Turns the content of a JSON string token (what lies between its quotes) into a .NET string: escapes undone, UTF-8
/// decoded. <see cref="JsonCursor"/> checks every escape, surrogate pair and UTF-8 sequence when it reads the token, so
/// a decode that happens later (<see cref="JsonStringText"/>) cannot fail on content that passed the cursor.
/// </summary>
internal static class JsonStringDecoder
{
    private const int StackLimit = 256;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static string Decode(ReadOnlySpan<byte> raw, bool escaped)
    {
        if (!escaped)
        {
            return Utf8(raw);
        }

        if (raw.Length <= StackLimit)
        {
            return Utf8(Unescape(raw, stackalloc byte[StackLimit]));
        }

        var rented = ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            return Utf8(Unescape(raw, rented));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Writes the UTF-8 of <paramref name="raw"/> with its escapes undone into <paramref name="buffer"/> (at least as long:
    /// undoing an escape never lengthens it). The escapes must have passed <see cref="JsonCursor"/>, which checks them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<byte> Unescape(ReadOnlySpan<byte> raw, Span<byte> buffer)
    {
        var written = 0;
        while (true)
        {
            var backslash = raw.IndexOf((byte)'\\');
            if (backslash < 0)
            {
                raw.CopyTo(buffer[written..]);
                return buffer[..(written + raw.Length)];
            }

            raw[..backslash].CopyTo(buffer[written..]);
            written += backslash;
            var kind = raw[backslash + 1];
            raw = raw[(backslash + 2)..];
            if (kind != (byte)'u')
            {
                buffer[written++] = kind switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    _ => kind, // " \ /
                };
                continue;
            }

            int scalar = CodeUnit(raw);
            raw = raw[4..];
            if (char.IsHighSurrogate((char)scalar)) // the cursor has checked that its low surrogate's escape follows
            {
                scalar = char.ConvertToUtf32((char)scalar, CodeUnit(raw[2..]));
                raw = raw[6..];
            }

            written += new Rune(scalar).EncodeToUtf8(buffer[written..]);
        }
    }

    /// <summary>The UTF-16 code unit of the four hex digits that start <paramref name="hex"/>, already known to be hex.</summary>
    public static char CodeUnit(ReadOnlySpan<byte> hex)
    {
        TryHex4(hex, out var unit);
        return unit;
    }

    /// <summary>True when <paramref name="rest"/> starts with <c>\uDC00</c>–<c>\uDFFF</c>.</summary>
    public static bool IsLowSurrogateEscape(ReadOnlySpan<byte> rest) =>
        rest.Length >= 6 && rest[0] == (byte)'\\' && rest[1] == (byte)'u' && TryHex4(rest[2..], out var unit) && char.IsLowSurrogate(unit);

    /// <summary>
    /// Reads four hex digits (either case) as a UTF-16 code unit. By hand: a snapshot holds hundreds of thousands of
    /// <c>\uXXXX</c> escapes (the serializer escapes quotes, backticks, angle brackets and all non-ASCII), and a general
    /// number parser per escape showed in the profile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryHex4(ReadOnlySpan<byte> hex, out char unit)
    {
        var value = 0;
        for (var i = 0; i < 4; i++)
        {
            var b = hex[i];
            int digit = b is >= (byte)'0' and <= (byte)'9' ? b - '0'
                : (b | 0x20) is >= 'a' and <= 'f' ? (b | 0x20) - 'a' + 10
                : -1;
            if (digit < 0)
            {
                unit = default;
                return false;
            }

            value = (value << 4) | digit;
        }

        unit = (char)value;
        return true;
    }

    private static string Utf8(ReadOnlySpan<byte> utf8)
    {
        try
        {
            return StrictUtf8.GetString(utf8);
        }
        catch (DecoderFallbackException ex)
        {
            throw new JsonException("A string is not valid UTF-8.", ex);
        }
    }
}
