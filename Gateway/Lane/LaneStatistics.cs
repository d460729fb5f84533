namespace Evergreen.Gateway.Lane;

/// <summary>
/// How much traffic the connection lane carries: requests it served, and connections it handed to Kestrel's HTTP layer
/// (with the request that made it do so). Shown in <c>/health/info</c> as <c>lane</c>, so an operator can see whether
/// clients' traffic takes the fast path.
/// </summary>
internal sealed class LaneStatistics
{
    private long _served;
    private long _handedOver;

    public long Served => Interlocked.Read(ref _served);

    public long HandedOver => Interlocked.Read(ref _handedOver);

    public void RequestServed() => Interlocked.Increment(ref _served);

    public void ConnectionHandedOver() => Interlocked.Increment(ref _handedOver);
}
