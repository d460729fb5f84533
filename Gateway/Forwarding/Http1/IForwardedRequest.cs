using System.Diagnostics;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// The request a <see cref="BackendExchange"/> sends to a destination: a Kestrel request (<see cref="HttpRequestSource"/>)
/// or one the connection lane parsed itself (<see cref="Lane.LaneRequestSource"/>).
/// </summary>
internal interface IForwardedRequest
{
    /// <summary>The method is HEAD: the response has no body whatever its headers say.</summary>
    bool IsHead { get; }

    /// <summary>The request can be sent again on a new connection: it has no body, or its body is buffered.</summary>
    bool CanResend { get; }

    /// <summary>Writes the head as the destination must see it into <paramref name="head"/> (cleared first).</summary>
    void WriteHead(HeadBuffer head, BackendEndpoint endpoint, Activity? activity);

    /// <summary>Sends the head written to <see cref="BackendConnection.Send"/>, then the body.</summary>
    /// <exception cref="ClientReadException">Reading the client's body failed.</exception>
    ValueTask SendAsync(BackendConnection connection);

    /// <summary>Goes back to the start of the body before the request is sent again.</summary>
    void Rewind();
}
