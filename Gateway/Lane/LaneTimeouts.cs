using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// Kestrel's time-outs and minimum response rate (<c>Kestrel:Limits:*</c>), which the lane applies to the connections it
/// serves, so a client meets the same limits whichever path serves it.
/// </summary>
internal sealed class LaneTimeouts(IOptions<KestrelServerOptions> kestrel)
{
    public long KeepAliveMs { get; } = (long)kestrel.Value.Limits.KeepAliveTimeout.TotalMilliseconds;

    public long RequestHeadersMs { get; } = (long)kestrel.Value.Limits.RequestHeadersTimeout.TotalMilliseconds;

    /// <summary>
    /// How long sending <paramref name="bytes"/> to a client may take: the grace period of Kestrel's minimum response data
    /// rate, or longer when the rate needs it; no limit when the rate is switched off (<c>MinResponseDataRate</c> null).
    /// </summary>
    public long SendLimitMs(int bytes) => kestrel.Value.Limits.MinResponseDataRate is { } rate
        ? (long)Math.Max(rate.GracePeriod.TotalMilliseconds, bytes * 1000.0 / rate.BytesPerSecond)
        : long.MaxValue / 4;
}
