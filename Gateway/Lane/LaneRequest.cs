using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Evergreen.Gateway.Forwarding.Http1;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// One request the connection lane serves, as <see cref="LaneRequestParser"/> read it: its head copied out of the bytes
/// received from the client, the ranges of the header lines that go on unchanged, and its body, which stays where it was
/// received (<see cref="Transport.ClientInput"/>) until the response has been sent (so a request whose connection attempt failed can be sent again elsewhere). The exchange reads it through
/// <see cref="LaneRequestSource"/>. One instance per client connection, reused from request to request.
/// </summary>
internal sealed class LaneRequest(byte[] clientAddress)
{
    /// <summary>A longer head goes to Kestrel, which applies its own limits.</summary>
    public const int MaxHeadBytes = 16 * 1024;

    /// <summary>
    /// A longer body goes to Kestrel, which streams it. The whole request stays in the connection's input buffer while it is
    /// forwarded, so this bounds what one lane connection holds (a 16 KiB head and a 64 KiB body).
    /// </summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Bodies up to this size go out with the head in one send.</summary>
    private const int InlineBodyBytes = 16 * 1024;

    private readonly List<Range> _forwardedLines = new(32);

    /// <summary>
    /// The head as received, from the request line to the blank line: rented for the request and returned when it is done
    /// (<see cref="Release"/>), so an idle connection — an open event stream, a client between requests — holds no copy.
    /// </summary>
    public byte[] Head { get; private set; } = [];

    public int HeadLength { get; private set; }

    public Range Method { get; set; }

    /// <summary>The request target as received (path and query): validated to need no decoding, so it is sent as it came.</summary>
    public Range Target { get; set; }

    /// <summary>Length of the path within <see cref="Target"/> (up to the <c>?</c>).</summary>
    public int PathLength { get; set; }

    public Range Host { get; set; }

    /// <summary>The client's <c>Accept</c> value, for the gateway's own error answers; default when it sent none.</summary>
    public Range Accept { get; set; }

    /// <summary>The client's <c>Content-Length</c>, or -1 without one.</summary>
    public long ContentLength { get; set; }

    /// <summary>False when the client asked to close the connection after this request.</summary>
    public bool KeepAlive { get; set; }

    /// <summary>The sticky-routing user (<c>X-User-Id</c>, else the <c>evergreen-uid</c> cookie), or null.</summary>
    public string? UserId { get; set; }

    /// <summary>The catalog index of the replica that owns the stream session or run the request names, or -1.</summary>
    public int OwnerIndex { get; set; }

    /// <summary>The body, still in the connection's input buffer; valid until the lane consumes the request.</summary>
    public ReadOnlySequence<byte> Body { get; set; }

    /// <summary>Where the request ends in the connection's input buffer.</summary>
    public SequencePosition End { get; set; }

    public ReadOnlySpan<byte> MethodBytes => Head.AsSpan(Method);

    public ReadOnlySpan<byte> Path => Head.AsSpan(Target.Start.Value, PathLength);

    public bool IsHead => MethodBytes.SequenceEqual("HEAD"u8);


    /// <summary>Starts a new request whose head is <paramref name="headLength"/> bytes long.</summary>
    public void Reset(int headLength)
    {
        Release();
        Head = ArrayPool<byte>.Shared.Rent(headLength);
        HeadLength = headLength;
        _forwardedLines.Clear();
        ContentLength = -1;
        KeepAlive = true;
        UserId = null;
        OwnerIndex = -1;
        Accept = default;
        Body = default;
    }

    /// <summary>Returns the head's memory; the request is not read again.</summary>
    public void Release()
    {
        if (Head.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(Head);
            Head = [];
        }
    }

    /// <summary>A header line (with its CRLF) that goes to the destination unchanged.</summary>
    public void Forward(Range line) => _forwardedLines.Add(line);

    /// <summary>
    /// The head YARP's default transforms would produce: <c>Host</c> set to the destination, the client's header lines,
    /// <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> set to this hop's values, and the body's length.
    /// </summary>
    public void WriteHead(HeadBuffer head, BackendEndpoint endpoint, Activity? activity)
    {
        head.Clear();
        head.Write(MethodBytes);
        head.Write(" "u8);
        head.Write(endpoint.PathBaseBytes);
        head.Write(Head.AsSpan(Target));
        head.Write(" HTTP/1.1\r\nHost: "u8);
        head.Write(endpoint.AuthorityBytes);
        head.Write("\r\n"u8);
        foreach (var line in _forwardedLines)
        {
            head.Write(Head.AsSpan(line));
        }

        head.Write("X-Forwarded-For: "u8);
        head.Write(clientAddress);
        head.Write("\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Host: "u8);
        head.Write(Head.AsSpan(Host));
        head.Write("\r\n"u8);
        if (ContentLength >= 0)
        {
            head.Write("Content-Length: "u8);
            head.Write(ContentLength);
            head.Write("\r\n"u8);
        }

        head.Write("\r\n"u8);
    }

    /// <summary>Sends the head and the body; a small body goes with the head in one send, without an async frame.</summary>
    public ValueTask SendAsync(BackendConnection connection)
    {
        if (Body.Length > InlineBodyBytes)
        {
            return SendHeadThenBodyAsync(connection);
        }

        foreach (var segment in Body)
        {
            connection.Send.Write(segment.Span);
        }

        return connection.SendAsync(connection.Send.Written);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendHeadThenBodyAsync(BackendConnection connection)
    {
        await connection.SendAsync(connection.Send.Written);
        foreach (var segment in Body)
        {
            await connection.SendAsync(segment);
            connection.Touch();
        }
    }
}
