using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>Starts the real gateway with a single destination, for the forwarder's wire tests.</summary>
internal static class Http1Gateway
{
    /// <summary>
    /// Short enough that a framing bug (the forwarder waiting for bytes that never come) fails a test in seconds rather
    /// than at the 100 s default, long enough never to fire on a healthy loopback exchange.
    /// </summary>
    public const string ActivityTimeout = "00:00:10";

    public static Task<GatewayTestHost> StartAsync(Uri destination, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?> { ["Gateway:ActivityTimeout"] = ActivityTimeout };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            merged[key] = value;
        }

        return GatewayTestHost.StartAsync(new Dictionary<string, Uri> { [GatewayTestHost.Blue] = destination }, merged);
    }

    public static CancellationToken Cancellation => TestContext.Current.CancellationToken;
}
