namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// Walks OTLP's nested messages and reads what traces and logs share: <c>Resource{attributes=1}</c>
/// (resource/v1/resource.proto), <c>InstrumentationScope{name=1}</c> and attribute lists of
/// <c>KeyValue</c> (common/v1/common.proto), and trace and span ids.
/// </summary>
internal static class OtlpCommonDecoder
{
    public const int MaxAttributes = 128;

    /// <summary>Receives one embedded message; a span cannot be captured by a lambda, so it is passed in.</summary>
    public delegate void MessageHandler(ReadOnlySpan<byte> message);

    /// <summary>Calls <paramref name="handler"/> for every occurrence of the length-delimited <paramref name="field"/>, skipping the other fields.</summary>
    public static void ForEach(ReadOnlySpan<byte> message, int field, MessageHandler handler)
    {
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var number, out var type))
        {
            if (number == field && type == WireType.LengthDelimited)
            {
                handler(reader.ReadBytes());
            }
            else
            {
                reader.Skip(type);
            }
        }
    }

    /// <summary>The singular length-delimited <paramref name="field"/> (the last one when repeated), or empty when absent.</summary>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> message, int field)
    {
        var found = ReadOnlySpan<byte>.Empty;
        var reader = new ProtoReader(message);
        while (reader.TryReadTag(out var number, out var type))
        {
            if (number == field && type == WireType.LengthDelimited)
            {
                found = reader.ReadBytes();
            }
            else
            {
                reader.Skip(type);
            }
        }

        return found;
    }

    /// <summary>The resource's <c>service.name</c>, or <c>unknown_service</c> as the specification's default.</summary>
    public static string ReadServiceName(ReadOnlySpan<byte> resource)
    {
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        ForEach(resource, 1, keyValue => AddAttribute(attributes, keyValue));
        return attributes.TryGetValue("service.name", out var name) && name is string { Length: > 0 } text ? text : "unknown_service";
    }

    public static string? ReadScopeName(ReadOnlySpan<byte> scope)
    {
        var name = Find(scope, 1);
        return name.IsEmpty ? null : ProtoReader.Truncate(System.Text.Encoding.UTF8.GetString(name), OtlpAnyValueDecoder.MaxTextLength);
    }

    /// <summary>Adds one <c>KeyValue</c>; the last of duplicate keys wins, and keys beyond <see cref="MaxAttributes"/> are dropped.</summary>
    public static void AddAttribute(Dictionary<string, object?> attributes, ReadOnlySpan<byte> keyValue)
    {
        var (key, value) = OtlpAnyValueDecoder.ReadKeyValue(keyValue, depth: 0);
        if (attributes.Count < MaxAttributes || attributes.ContainsKey(key))
        {
            attributes[key] = value;
        }
    }

    /// <summary>A 16-byte trace id or 8-byte span id as lowercase hex; empty means absent (null); other lengths are invalid.</summary>
    public static string? ReadId(ReadOnlySpan<byte> id, int expectedLength, string what) =>
        id.Length == 0 ? null
        : id.Length == expectedLength ? Convert.ToHexStringLower(id)
        : throw new OtlpFormatException($"{what} has {id.Length} bytes; OTLP requires {expectedLength}");

    public static DateTimeOffset FromUnixNanoseconds(ulong nanoseconds) => DateTimeOffset.UnixEpoch.AddTicks((long)(nanoseconds / 100));
}
