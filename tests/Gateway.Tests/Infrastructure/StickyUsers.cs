using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>User ids with a known sticky bucket, so a test can aim a request at a destination.</summary>
internal static class StickyUsers
{
    /// <summary>A user whose bucket is below <paramref name="share"/> × 10,000: blue's range when blue holds that share (blue sorts first).</summary>
    public static string InFirstShare(double share)
    {
        var sticky = new StickyAssignment(new GatewayOptions());
        return Enumerable.Range(0, 1000).Select(i => $"u-{i}").First(user => sticky.BucketOf(user) < share * StickyAssignment.BucketCount);
    }
}
