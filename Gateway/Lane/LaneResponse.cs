using System.Buffers;
using System.Text;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Lane.Transport;
using Microsoft.AspNetCore.WebUtilities;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// The response of a lane request, written to the client's socket (the exchange writes it through
/// <see cref="LaneResponseSink"/>). The head is collected here first and goes out with the first piece of the body (or at
/// the end), so a destination head that turns out malformed halfway leaves
/// nothing behind and the client gets a clean 502. The body is framed for the client as Kestrel would frame it: with the
/// length when it is known up front, chunked otherwise; every piece is sent at once, so server-sent events stream.
/// One instance per client connection, reused from request to request.
/// </summary>
internal sealed class LaneResponse(ClientOutput output)
{
    /// <summary>Status lines by code (see <see cref="StatusLine"/>); codes are three digits.</summary>
    private static readonly byte[]?[] StatusLines = new byte[]?[1000];

    private readonly HeadBuffer _head = new(1024);
    private int _status;
    private bool _isHeadRequest;
    private bool _keepAlive;
    private bool _chunked;
    private byte[] _destination = [];

    /// <summary>True once bytes of this response went to the client: an error can then only abort the connection.</summary>
    public bool HasStarted { get; private set; }

    public long? ContentLength { get; set; }

    /// <summary>The status the destination answered with (0 before its head arrived).</summary>
    public int StatusCode => _status;

    /// <summary>Starts a response to a request for <paramref name="destination"/>.</summary>
    public void Begin(byte[] destination, bool isHeadRequest, bool keepAlive)
    {
        _head.Clear();
        _status = 0;
        _isHeadRequest = isHeadRequest;
        _keepAlive = keepAlive;
        _chunked = false;
        HasStarted = false;
        ContentLength = null;
        _destination = destination;
    }

    public void SetStatus(int statusCode)
    {
        _status = statusCode;
        _head.Write(StatusLine(statusCode));
        _head.Write(GatewayResponses.DestinationHeader);
        _head.Write(": "u8);
        _head.Write(_destination);
        _head.Write("\r\n"u8);
    }

    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        _head.Write(name);
        _head.Write(": "u8);
        _head.Write(value);
        _head.Write("\r\n"u8);
    }

    /// <summary>A header of a response the gateway writes itself (see <see cref="LaneErrors"/>).</summary>
    public void AddHeader(string name, string value) => _head.WriteHeader(name, value);

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (!HasStarted)
        {
            WriteHeadEnd();
        }

        if (_chunked)
        {
            output.WriteChunkSizeLine(data.Length);
            output.Write(data.Span);
            output.Write("\r\n"u8);
        }
        else
        {
            output.Write(data.Span);
        }

        return output.SendAsync(cancellationToken);
    }

    /// <summary>Ends the response: the head when no body was written, the last chunk of a chunked body.</summary>
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (HasStarted && !_chunked)
        {
            // Everything went out with the last piece of the body.
            return ValueTask.CompletedTask;
        }

        if (!HasStarted)
        {
            ContentLength ??= HasBody ? 0 : null;
            WriteHeadEnd();
        }

        if (_chunked)
        {
            output.Write("0\r\n\r\n"u8);
        }

        return output.SendAsync(cancellationToken);
    }

    /// <summary>
    /// <c>HTTP/1.1 {code} {reason}\r\n</c>, built once per status code (the reason phrase is a string; encoding it for every
    /// response showed in the benchmark's profile). Two threads may build the same line at once; either copy is right.
    /// </summary>
    private static byte[] StatusLine(int statusCode)
    {
        if ((uint)statusCode >= (uint)StatusLines.Length)
        {
            return BuildStatusLine(statusCode);
        }

        return StatusLines[statusCode] ??= BuildStatusLine(statusCode);
    }

    private static byte[] BuildStatusLine(int statusCode) =>
        Encoding.Latin1.GetBytes($"HTTP/1.1 {statusCode} {ReasonPhrases.GetReasonPhrase(statusCode)}\r\n");

    private bool HasBody => !_isHeadRequest && _status is not (204 or 304);

    private void WriteHeadEnd()
    {
        if (ContentLength is { } length && (HasBody || _isHeadRequest))
        {
            _head.Write("Content-Length: "u8);
            _head.Write(length);
            _head.Write("\r\n"u8);
        }
        else if (HasBody)
        {
            _chunked = true;
            _head.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        if (!_keepAlive)
        {
            _head.Write("Connection: close\r\n"u8);
        }

        _head.Write("\r\n"u8);
        output.Write(_head.Written.Span);
        HasStarted = true;
    }
}
