using System.Globalization;
using System.Text;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// <c>KeyValue{key=1, value=2}</c> and <c>AnyValue{string_value=1, bool_value=2, int_value=3, double_value=4 (fixed64),
/// array_value=5, kvlist_value=6, bytes_value=7}</c> of opentelemetry-proto <c>common/v1/common.proto</c>, as
/// JSON-friendly CLR values.
/// </summary>
internal static class OtlpAnyValueDecoder
{
    public const int MaxTextLength = 4096;
    private const int MaxNesting = 8;

    public static (string Key, object? Value) ReadKeyValue(ReadOnlySpan<byte> keyValue, int depth)
    {
        var reader = new ProtoReader(keyValue);
        var key = string.Empty;
        object? value = null;
        while (reader.TryReadTag(out var field, out var type))
        {
            switch (field, type)
            {
                case (1, WireType.LengthDelimited):
                    key = reader.ReadString(MaxTextLength);
                    break;
                case (2, WireType.LengthDelimited):
                    value = ReadAnyValue(reader.ReadBytes(), depth);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        return (key, value);
    }

    /// <summary>
    /// String, long, bool, double (non-finite ones as text, which JSON cannot carry as numbers) or null; arrays,
    /// key-value lists and bytes are rendered as text, since the dashboard only displays them. Nesting is capped so
    /// a hostile payload cannot exhaust the stack.
    /// </summary>
    public static object? ReadAnyValue(ReadOnlySpan<byte> anyValue, int depth = 0)
    {
        if (depth > MaxNesting)
        {
            throw new OtlpFormatException($"values nested deeper than {MaxNesting} levels");
        }

        object? value = null;
        var reader = new ProtoReader(anyValue);
        while (reader.TryReadTag(out var field, out var type))
        {
            value = (field, type) switch
            {
                (1, WireType.LengthDelimited) => reader.ReadString(MaxTextLength),
                (2, WireType.Varint) => reader.ReadVarint() != 0,
                (3, WireType.Varint) => (long)reader.ReadVarint(),
                (4, WireType.Fixed64) => FiniteOrText(BitConverter.UInt64BitsToDouble(reader.ReadFixed64())),
                (5, WireType.LengthDelimited) => RenderArray(reader.ReadBytes(), depth + 1),
                (6, WireType.LengthDelimited) => RenderKeyValueList(reader.ReadBytes(), depth + 1),
                (7, WireType.LengthDelimited) => Convert.ToBase64String(reader.ReadBytes()),
                _ => Skip(ref reader, type, value),
            };
        }

        return value;
    }

    public static string Render(object? value) => value switch
    {
        null => "null",
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static string RenderArray(ReadOnlySpan<byte> array, int depth)
    {
        var items = new List<string>();
        OtlpCommonDecoder.ForEach(array, 1, item => items.Add(Render(ReadAnyValue(item, depth))));
        return ProtoReader.Truncate($"[{string.Join(", ", items)}]", MaxTextLength);
    }

    private static string RenderKeyValueList(ReadOnlySpan<byte> list, int depth)
    {
        var text = new StringBuilder("{");
        OtlpCommonDecoder.ForEach(list, 1, keyValue =>
        {
            var (key, value) = ReadKeyValue(keyValue, depth);
            text.Append(text.Length > 1 ? ", " : string.Empty).Append(key).Append(": ").Append(Render(value));
        });
        return ProtoReader.Truncate(text.Append('}').ToString(), MaxTextLength);
    }

    private static object FiniteOrText(double value) => double.IsFinite(value) ? value : value.ToString(CultureInfo.InvariantCulture);

    private static object? Skip(ref ProtoReader reader, WireType type, object? current)
    {
        reader.Skip(type);
        return current;
    }
}
