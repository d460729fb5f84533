using System.Buffers.Binary;
using System.Text;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// Reads the protobuf wire format (varint, 64-bit, length-delimited, 32-bit) from a buffer, forward only. Every read
/// checks the bounds and throws <see cref="OtlpFormatException"/> on truncated or invalid input, so a decoder built on
/// it either reads a whole message or fails before anything is stored.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public ProtoReader(ReadOnlySpan<byte> data) => _data = data;

    /// <summary>Reads the next field's tag; false at the end of the message.</summary>
    public bool TryReadTag(out int fieldNumber, out WireType wireType)
    {
        if (_position >= _data.Length)
        {
            fieldNumber = 0;
            wireType = default;
            return false;
        }

        var tag = ReadVarint();
        var number = tag >> 3;
        if (number is 0 or > 536_870_911)
        {
            throw new OtlpFormatException($"invalid field number {number} at byte {_position}");
        }

        fieldNumber = (int)number;
        wireType = (WireType)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_position >= _data.Length)
            {
                throw new OtlpFormatException("truncated varint");
            }

            var b = _data[_position++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new OtlpFormatException("varint longer than 10 bytes");
    }

    public ulong ReadFixed64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    public uint ReadFixed32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        return length > (ulong)(_data.Length - _position)
            ? throw new OtlpFormatException($"length {length} at byte {_position} runs past the end of the message")
            : Take((int)length);
    }

    /// <summary>Reads a UTF-8 string, decoding no more than needed for <paramref name="maxLength"/> characters (then "…").</summary>
    public string ReadString(int maxLength)
    {
        var bytes = ReadBytes();

        // A UTF-16 character takes at most 3 UTF-8 bytes (a surrogate pair 4 for 2), so this prefix always suffices.
        var prefix = bytes.Length > maxLength * 3 ? bytes[..(maxLength * 3)] : bytes;
        return Truncate(Encoding.UTF8.GetString(prefix), maxLength);
    }

    /// <summary>Skips a field this decoder does not need; protobuf groups (deprecated, unused by OTLP) are rejected.</summary>
    public void Skip(WireType wireType)
    {
        switch (wireType)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Take(8);
                break;
            case WireType.LengthDelimited:
                ReadBytes();
                break;
            case WireType.Fixed32:
                Take(4);
                break;
            default:
                throw new OtlpFormatException($"unsupported wire type {(int)wireType} at byte {_position}");
        }
    }

    public static string Truncate(string text, int maxLength) => text.Length <= maxLength ? text : string.Concat(text.AsSpan(0, maxLength), "…");

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new OtlpFormatException($"truncated field at byte {_position}");
        }

        var slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}

/// <summary>The protobuf wire types (the low three bits of a tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
