using System.Text;
using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Maps a user id to one of <see cref="BucketCount"/> buckets: FNV-1a 32-bit over the UTF-8 bytes of
/// <c>seed + userId</c>, modulo 10,000. Destinations own contiguous bucket ranges proportional to their weights (in id
/// order), so a user stays on one destination while weights hold and a weight change moves only the users of the
/// shifted range. Other services can reproduce the assignment from this description. Thread-safe, allocation-free.
/// </summary>
internal sealed class StickyAssignment
{
    public const int BucketCount = 10_000;
    private const uint OffsetBasis = 2166136261;
    private const uint Prime = 16777619;

    private readonly uint _seedState;

    public StickyAssignment(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _seedState = Append(OffsetBasis, options.StickySeed);
    }

    public int BucketOf(string userId) => (int)(Append(_seedState, userId) % BucketCount);

    /// <summary>FNV-1a 32-bit of the UTF-8 encoding of <paramref name="text"/>, continuing from <paramref name="state"/>.</summary>
    public static uint Append(uint state, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++)
            {
                state = (state ^ utf8[i]) * Prime;
            }
        }

        return state;
    }

    public static uint Hash(string text) => Append(OffsetBasis, text);

    /// <summary>FNV-1a of already encoded bytes; for tests that check the UTF-8 path against the reference.</summary>
    public static uint HashBytes(ReadOnlySpan<byte> bytes)
    {
        var state = OffsetBasis;
        foreach (var b in bytes)
        {
            state = (state ^ b) * Prime;
        }

        return state;
    }

    public static int BucketOfBytes(string seedAndUser) => (int)(HashBytes(Encoding.UTF8.GetBytes(seedAndUser)) % BucketCount);
}
