namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// Where a destination's response is copied to: the client's <see cref="HttpResponse"/> (<see cref="HttpResponseSink"/>,
/// for requests that went through Kestrel's HTTP layer and YARP's pipeline) or the connection lane's output
/// (<see cref="Lane.LaneResponseSink"/>). <see cref="ResponseHead"/> and <see cref="ResponseBody"/> write through it, so both
/// paths parse and frame a destination's response with the same code.
/// </summary>
internal interface IResponseSink
{
    /// <summary>The final status code; called once, before any header.</summary>
    void SetStatus(int statusCode);

    /// <summary>A header to pass on (hop-by-hop and framing headers are already left out).</summary>
    void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value);

    /// <summary>The body's length, when known before its first byte is written; null sends it chunked.</summary>
    long? ContentLength { get; set; }

    /// <summary>Writes a piece of the body and flushes it to the client.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);
}
