using System.Text;
using Evergreen.Gateway.Forwarding;
using Evergreen.Gateway.Forwarding.Http1;
using Microsoft.AspNetCore.WebUtilities;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// The gateway's own answers to lane requests — 503 with <c>Retry-After</c> when no destination can take the request, 502
/// or 504 when the destination failed — with the same problem details Kestrel's path writes: they are produced by the
/// same code (<see cref="GatewayResponses"/>, the problem details service) on a detached <see cref="HttpContext"/> and sent
/// as one framed response. Errors are rare, so the detour costs nothing that matters.
/// </summary>
internal sealed class LaneErrors(IServiceProvider services, GatewayResponses responses, IProblemDetailsService problemDetails)
{
    /// <summary>503: no destination can take the request.</summary>
    public Task<byte[]> NoDestinationAsync(LaneRequest request, bool keepAlive) =>
        RenderAsync(request, keepAlive, responses.NoDestinationAsync);

    /// <summary>The status Kestrel's path answers for a failed attempt (502, 504 on a time-out), naming the destination.</summary>
    public Task<byte[]> DestinationFailedAsync(LaneRequest request, int status, string destination, bool keepAlive) =>
        RenderAsync(request, keepAlive, async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers[GatewayResponses.DestinationHeader] = destination;
            await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status } });
        });

    private async Task<byte[]> RenderAsync(LaneRequest request, bool keepAlive, Func<HttpContext, Task> write)
    {
        using var body = new MemoryStream();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = Encoding.ASCII.GetString(request.MethodBytes);
        context.Request.Path = Encoding.ASCII.GetString(request.Path);
        if (!request.Accept.Equals(default(Range)))
        {
            context.Request.Headers.Accept = Encoding.ASCII.GetString(request.Head.AsSpan(request.Accept));
        }

        context.Response.Body = body;
        await write(context);

        var response = context.Response;
        var head = new HeadBuffer(512);
        head.Write("HTTP/1.1 "u8);
        head.Write(response.StatusCode);
        head.Write(" "u8);
        head.Write(ReasonPhrases.GetReasonPhrase(response.StatusCode));
        head.Write("\r\n"u8);
        foreach (var (name, values) in response.Headers)
        {
            foreach (var value in values)
            {
                head.WriteHeader(name, value ?? string.Empty);
            }
        }

        head.Write("Content-Length: "u8);
        head.Write(body.Length);
        head.Write(keepAlive ? "\r\n\r\n"u8 : "\r\nConnection: close\r\n\r\n"u8);
        if (!request.IsHead)
        {
            head.Write(body.GetBuffer().AsSpan(0, (int)body.Length));
        }

        return head.Written.ToArray();
    }
}
