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

    /// <summary>The body stays in the connection's input buffer until the response is sent, so the request can always be sent again.</summary>
    public bool CanResend => true;

    public void WriteHead(HeadBuffer head, BackendEndpoint endpoint, Activity? activity) => request.WriteHead(head, endpoint, activity);

    public ValueTask SendAsync(BackendConnection connection) => request.SendAsync(connection);

    /// <summary>Nothing to rewind: the body is sent from the input buffer again, from its start.</summary>
    public void Rewind()
    {
    }
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
