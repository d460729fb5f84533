using System.Diagnostics;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>A request that came through Kestrel's HTTP layer, forwarded from its <see cref="HttpRequest"/>.</summary>
internal readonly struct HttpRequestSource : IForwardedRequest
{
    private readonly HttpRequest _request;
    private readonly RequestHead.BodyFraming _framing;
    private readonly long _bodyStart;

    public HttpRequestSource(HttpContext context)
    {
        _request = context.Request;
        _framing = RequestBody.FramingOf(context);
        _bodyStart = _request.Body.CanSeek ? _request.Body.Position : -1;
    }

    public bool IsHead => HttpMethods.IsHead(_request.Method);

    /// <summary>No body, or a buffered one that can be read again from its start.</summary>
    public bool CanResend => (_framing.ContentLength is null or 0 && !_framing.Chunked) || _bodyStart >= 0;

    public void WriteHead(HeadBuffer head, BackendEndpoint endpoint, Activity? activity) =>
        RequestHead.Write(head, _request, endpoint, _framing, activity);

    public ValueTask SendAsync(BackendConnection connection) => RequestBody.SendAsync(connection, _request.Body, _framing);

    public void Rewind()
    {
        if (_bodyStart >= 0)
        {
            _request.Body.Position = _bodyStart;
        }
    }
}
