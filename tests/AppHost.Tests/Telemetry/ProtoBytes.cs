namespace Evergreen.AppHost.Tests.Telemetry;

/// <summary>Builds protobuf bytes by hand, for payloads the real exporter never sends (malformed, gzip-compressed).</summary>
internal static class ProtoBytes
{
    public static byte[] Message(params byte[][] fields) => [.. fields.SelectMany(field => field)];

    public static byte[] Bytes(int field, byte[] content) => [.. Varint(((ulong)field << 3) | 2), .. Varint((ulong)content.Length), .. content];

    public static byte[] Text(int field, string text) => Bytes(field, System.Text.Encoding.UTF8.GetBytes(text));

    public static byte[] Number(int field, ulong value) => [.. Varint((ulong)field << 3), .. Varint(value)];

    public static byte[] Fixed64(int field, ulong value) => [.. Varint(((ulong)field << 3) | 1), .. BitConverter.GetBytes(value)];

    /// <summary>An <c>ExportTraceServiceRequest</c> with one resource (<paramref name="service"/>) holding <paramref name="spans"/>.</summary>
    public static byte[] TraceRequest(string service, params byte[][] spans) =>
        Bytes(1, Message(
            Bytes(1, Bytes(1, Message(Text(1, "service.name"), Bytes(2, Text(1, service))))),
            Bytes(2, Message([.. spans.Select(span => Bytes(2, span))]))));

    /// <summary>A <c>Span</c> with the given ids (16 and 8 bytes when valid), name and a 5 ms duration.</summary>
    public static byte[] Span(byte[] traceId, byte[] spanId, string name)
    {
        const ulong Start = 1_700_000_000_000_000_000;
        return Message(Bytes(1, traceId), Bytes(2, spanId), Text(5, name), Number(6, 2), Fixed64(7, Start), Fixed64(8, Start + 5_000_000));
    }

    public static byte[] Id(int length, byte fill) => Enumerable.Repeat(fill, length).ToArray();

    private static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }
}
