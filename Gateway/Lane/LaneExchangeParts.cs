using System.Diagnostics;
using Evergreen.Gateway.Forwarding.Http1;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// <see cref="LaneRequest"/> as <see cref="BackendExchange"/>'s request. A struct, so the exchange's generic code is
/// compiled for the lane's types: over classes the runtime shares one copy and checks types on every interface call.
/// </summary>
internal readonly struct LaneRequestSource(LaneRequest request) : IForwardedRequest
{
    public bool IsHead => request.IsHead;

    public bool CanResend => request.CanResend;

    public void WriteHead(HeadBuffer head, BackendEndpoint endpoint, Activity? activity) => request.WriteHead(head, endpoint, activity);

    public ValueTask SendAsync(BackendConnection connection) => request.SendAsync(connection);

    public void Rewind() => request.Rewind();
}

/// <summary><see cref="LaneResponse"/> as <see cref="BackendExchange"/>'s sink; a struct for the same reason.</summary>
internal readonly struct LaneResponseSink(LaneResponse response) : IResponseSink
{
    public long? ContentLength
    {
        get => response.ContentLength;
        set => response.ContentLength = value;
    }

    public void SetStatus(int statusCode) => response.SetStatus(statusCode);

    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) => response.AddHeader(name, value);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => response.WriteAsync(data, cancellationToken);
}
