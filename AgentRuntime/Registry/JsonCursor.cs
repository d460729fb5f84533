using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A forward-only reader of JSON tokens over UTF-8 bytes, for a reader written against one schema
/// (<see cref="PluginJsonReader"/>). It exists for speed: a snapshot is mostly long markdown strings full of <c>\n</c>
/// escapes, which <see cref="Utf8JsonReader"/> validates one byte at a time after the first backslash; this cursor finds
/// the end of a string with a vectorized search and checks each escape it jumps to. It is as strict as
/// <see cref="Utf8JsonReader"/> about what it reads (no comments, no trailing commas, valid escapes and UTF-8, no raw
/// control characters in strings) and hands free-form values (frontmatter, metadata, hooks) to it.
/// </summary>
internal ref struct JsonCursor
{
    private static readonly SearchValues<byte> StringSpecial = SearchValues.Create(
        [(byte)'"', (byte)'\\', .. Enumerable.Range(0, 0x20).Select(b => (byte)b)]);

    private readonly ReadOnlySpan<byte> _json;
    private int _position;

    public JsonCursor(ReadOnlySpan<byte> json) => _json = json;

    /// <summary>Consumes <c>{</c>; true when the object has a first member to read, false (having consumed <c>}</c>) when it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool StartObject() => Start((byte)'{', (byte)'}', "an object");

    /// <summary>Consumes <c>[</c>; true when the array has a first element to read, false (having consumed <c>]</c>) when it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool StartArray() => Start((byte)'[', (byte)']', "an array");

    /// <summary>After a member or element: consumes <c>,</c> and returns true, or consumes <paramref name="close"/> and returns false.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool NextMember(byte close)
    {
        var next = Peek();
        _position++;
        if (next == (byte)',')
        {
            return true;
        }

        return next == close ? false : throw Unexpected(next, $"',' or '{(char)close}'");
    }

    /// <summary>Reads a property name and the <c>:</c> after it. The name is unescaped; the span is valid until the next call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ReadOnlySpan<byte> PropertyName()
    {
        if (Peek() != (byte)'"')
        {
            throw Unexpected(_json[_position], "a property name");
        }

        var raw = RawString(out var escaped);
        var name = escaped ? JsonStringDecoder.Unescape(raw, new byte[raw.Length]) : raw;
        var colon = Peek();
        _position++;
        return colon == (byte)':' ? name : throw Unexpected(colon, "':'");
    }

    /// <summary>Consumes <c>null</c> and returns true when it comes next; false (consuming nothing) otherwise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryNull()
    {
        if (Peek() != (byte)'n')
        {
            return false;
        }

        Literal("null"u8);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? StringOrNull() => TryNull() ? null : String();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string String()
    {
        var first = Peek();
        if (first != (byte)'"')
        {
            throw Unexpected(first, "a string");
        }

        var raw = RawString(out var escaped);
        try
        {
            return JsonStringDecoder.Decode(raw, escaped);
        }
        catch (JsonException ex)
        {
            throw Error(ex.Message);
        }
    }

    /// <summary>
    /// Reads a string token without decoding it: where its content lies in the JSON, and whether it holds escapes, for
    /// <see cref="JsonStringDecoder"/> to decode later. Everything a decode could fail on is checked now.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int Start, int Length, bool Escaped) StringRange()
    {
        var first = Peek();
        if (first != (byte)'"')
        {
            throw Unexpected(first, "a string");
        }

        var raw = RawString(out var escaped);
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            throw Error("A string is not valid UTF-8.");
        }

        return (_position - 1 - raw.Length, raw.Length, escaped);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Boolean()
    {
        switch (Peek())
        {
            case (byte)'t':
                Literal("true"u8);
                return true;
            case (byte)'f':
                Literal("false"u8);
                return false;
            default:
                throw Unexpected(_json[_position], "true or false");
        }
    }

    /// <summary>An integer, written as a JSON number or, as the web defaults of <c>System.Text.Json</c> allow, as a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long Int64()
    {
        if (Peek() == (byte)'"')
        {
            var text = String();
            return long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw Error($"'{text}' is not an integer.");
        }

        var start = _position;
        var digitsStart = start + (_json[start] == (byte)'-' ? 1 : 0);
        var end = digitsStart;
        while (end < _json.Length && char.IsAsciiDigit((char)_json[end]))
        {
            end++;
        }

        var digits = _json[digitsStart..end];
        if (digits.IsEmpty || (digits.Length > 1 && digits[0] == (byte)'0')
            || (end < _json.Length && _json[end] is (byte)'.' or (byte)'e' or (byte)'E')
            || !Utf8Parser.TryParse(_json[start..end], out long value, out var consumed) || consumed != end - start)
        {
            throw Error("An integer was expected.");
        }

        _position = end;
        return value;
    }

    /// <summary>Any JSON value, read by <see cref="JsonElement.ParseValue"/> (which copies it into its own document).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public JsonElement Element()
    {
        Peek();
        var reader = new Utf8JsonReader(_json[_position..]);
        var element = JsonElement.ParseValue(ref reader);
        _position += (int)reader.BytesConsumed;
        return element;
    }

    /// <summary>True when an object starts next; consumes nothing.</summary>
    public bool StartsObject() => Peek() == (byte)'{';

    /// <summary>Skips any JSON value, validating it, and returns where it lies, for a reader that parses it later.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (int Start, int Length) ValueRange()
    {
        Peek();
        var start = _position;
        Skip();
        return (start, _position - start);
    }

    /// <summary>Skips any JSON value, validating it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Skip()
    {
        Peek();
        var reader = new Utf8JsonReader(_json[_position..]);
        reader.Read();
        reader.Skip();
        _position += (int)reader.BytesConsumed;
    }

    /// <summary>Throws unless only whitespace is left.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void End()
    {
        SkipWhitespace();
        if (_position < _json.Length)
        {
            throw Unexpected(_json[_position], "the end of the value");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public readonly JsonException Error(string message) => ErrorAt(_position, message);

    private static JsonException ErrorAt(int position, string message) => new($"{message} (at byte {position} of the plugin's JSON)");

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool Start(byte open, byte close, string expected)
    {
        var first = Peek();
        if (first != open)
        {
            throw Unexpected(first, expected);
        }

        _position++;
        if (Peek() != close)
        {
            return true;
        }

        _position++;
        return false;
    }

    /// <summary>Skips whitespace and returns the next byte without consuming it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private byte Peek()
    {
        SkipWhitespace();
        return _position < _json.Length ? _json[_position] : throw Error("The JSON ends too early.");
    }

    private void SkipWhitespace() => _position = JsonArraySlicer.SkipWhitespace(_json, _position);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Literal(ReadOnlySpan<byte> literal)
    {
        if (!_json[_position..].StartsWith(literal))
        {
            throw Error($"The literal '{Encoding.ASCII.GetString(literal)}' was expected.");
        }

        _position += literal.Length;
    }

    /// <summary>
    /// Consumes the string token that starts at the cursor and returns what lies between its quotes, escapes not undone.
    /// Each escape is checked here, surrogate pairs included, so <see cref="JsonStringDecoder.Unescape"/> meets only valid ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ReadOnlySpan<byte> RawString(out bool escaped)
    {
        var start = ++_position;
        escaped = false;
        while (true)
        {
            var found = _position < _json.Length ? _json[_position..].IndexOfAny(StringSpecial) : -1;
            if (found < 0)
            {
                throw Error("A string is not terminated.");
            }

            _position += found;
            var special = _json[_position];
            if (special == (byte)'"')
            {
                return _json[start.._position++];
            }

            if (special != (byte)'\\')
            {
                throw Error($"A string holds the control character 0x{special:X2}, which JSON requires to be escaped.");
            }

            escaped = true;
            var kind = _position + 1 < _json.Length ? _json[_position + 1] : (byte)0;
            if (kind is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t')
            {
                _position += 2;
            }
            else if (kind == (byte)'u' && _position + 6 <= _json.Length && JsonStringDecoder.TryHex4(_json.Slice(_position + 2, 4), out var unit))
            {
                // A surrogate must come as a high-low pair of escapes; checked here so that no later decode can fail.
                if (char.IsLowSurrogate(unit) || (char.IsHighSurrogate(unit) && !JsonStringDecoder.IsLowSurrogateEscape(_json[(_position + 6)..])))
                {
                    throw Error("A string holds an unpaired surrogate escape.");
                }

                _position += char.IsHighSurrogate(unit) ? 12 : 6;
            }
            else
            {
                throw Error("A string holds an invalid escape sequence.");
            }
        }
    }

    private JsonException Unexpected(byte found, string expected) =>
        Error($"Found '{(found is >= 0x20 and < 0x7F ? ((char)found).ToString() : $"0x{found:X2}")}' where {expected} was expected.");
}
