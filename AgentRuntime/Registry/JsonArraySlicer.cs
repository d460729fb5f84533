using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Finds where each element of a JSON array lies without parsing the elements: a vectorized search for the bytes that
/// matter (<c>" \ { } [ ] ,</c>), tracking strings, escapes and nesting depth. It checks only what it must to find the
/// boundaries (terminated strings, balanced nesting, one element between commas); the caller parses every element it
/// does not already hold byte for byte, and that parse rejects anything else that is not JSON.
/// </summary>
internal static class JsonArraySlicer
{
    private static readonly SearchValues<byte> Structural = SearchValues.Create("\"{}[],"u8);

    /// <summary>
    /// Adds the range of each element of the array that starts just after <paramref name="start"/> (the index following
    /// its <c>[</c>) to <paramref name="elements"/>, trimmed of whitespace, and returns the index following the closing <c>]</c>.
    /// </summary>
    /// <param name="known">
    /// Optional: given an element's index and start, the length of a complete JSON value known to lie there byte for byte
    /// (0 for none). When that value is followed by <c>,</c> or <c>]</c>, it is the element (a JSON value ends where it ends),
    /// so it is taken without scanning and marked <c>Known</c>; otherwise the element is scanned as usual.
    /// </param>
    /// <exception cref="JsonException">An unterminated string or array, unbalanced brackets, or an empty element.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Slice(ReadOnlySpan<byte> json, int start, List<(int Start, int Length, bool Known)> elements, Func<int, int, int>? known = null)
    {
        var position = SkipWhitespace(json, start);
        if (position < json.Length && json[position] == (byte)']')
        {
            return position + 1;
        }

        while (true)
        {
            var elementStart = position;
            var depth = 0;
            byte stop;
            if (known?.Invoke(elements.Count, elementStart) is > 0 and var knownLength
                && SkipWhitespace(json, elementStart + knownLength) is var after && after < json.Length && json[after] is (byte)',' or (byte)']')
            {
                elements.Add((elementStart, knownLength, true));
                stop = json[after];
                position = after + 1;
                if (stop == (byte)']')
                {
                    return position;
                }

                position = SkipWhitespace(json, position);
                continue;
            }

            while (true)
            {
                var found = position < json.Length ? json[position..].IndexOfAny(Structural) : -1;
                if (found < 0)
                {
                    throw new JsonException($"The array that starts before byte {start} is not terminated.");
                }

                position += found;
                var current = json[position];
                if (current == (byte)'"')
                {
                    position = SkipString(json, position + 1);
                }
                else if (current is (byte)'{' or (byte)'[')
                {
                    depth++;
                    position++;
                }
                else if (depth > 0 && current != (byte)',')
                {
                    depth--;
                    position++;
                }
                else if (current == (byte)'}')
                {
                    throw new JsonException($"Unbalanced '}}' at byte {position}.");
                }
                else if (depth == 0)
                {
                    stop = current; // ',' or ']' outside any nested value: the element ends here
                    break;
                }
                else
                {
                    position++; // a ',' inside a nested value
                }
            }

            var length = TrimEnd(json[elementStart..position]);
            if (length == 0)
            {
                throw new JsonException($"An array element is missing before byte {position}.");
            }

            elements.Add((elementStart, length, false));
            position++;
            if (stop == (byte)']')
            {
                return position;
            }

            position = SkipWhitespace(json, position);
        }
    }

    /// <summary>
    /// Returns the index after the closing quote of the string whose content starts at <paramref name="position"/>. Only
    /// quotes are searched for: a quote is escaped exactly when an odd number of backslashes precede it. Markdown bodies
    /// hold an escape every few dozen bytes (<c>\n</c>, <c>\u0027</c>, <c>\u0060</c>), and stopping at each one would cost
    /// more than the vectorized search between them.
    /// </summary>
    private static int SkipString(ReadOnlySpan<byte> json, int position)
    {
        var contentStart = position;
        while (true)
        {
            var found = position < json.Length ? json[position..].IndexOf((byte)'"') : -1;
            if (found < 0)
            {
                throw new JsonException($"A string is not terminated (it starts before byte {contentStart}).");
            }

            position += found;
            var backslashes = 0;
            while (position - backslashes > contentStart && json[position - backslashes - 1] == (byte)'\\')
            {
                backslashes++;
            }

            position++;
            if (backslashes % 2 == 0)
            {
                return position;
            }
        }
    }

    /// <summary>The index of the first byte at or after <paramref name="position"/> that is not JSON whitespace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SkipWhitespace(ReadOnlySpan<byte> json, int position)
    {
        while (position < json.Length && json[position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            position++;
        }

        return position;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int TrimEnd(ReadOnlySpan<byte> span)
    {
        var length = span.Length;
        while (length > 0 && span[length - 1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            length--;
        }

        return length;
    }
}
