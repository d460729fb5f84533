using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Evergreen.Gateway.Lane;

/// <summary>Kestrel's keep-alive and request-headers time-outs, which the lane applies to the connections it serves.</summary>
internal sealed class LaneTimeouts(IOptions<KestrelServerOptions> kestrel)
{
    public long KeepAliveMs { get; } = (long)kestrel.Value.Limits.KeepAliveTimeout.TotalMilliseconds;

    public long RequestHeadersMs { get; } = (long)kestrel.Value.Limits.RequestHeadersTimeout.TotalMilliseconds;
}
