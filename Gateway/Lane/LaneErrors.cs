using System.Text;
using Evergreen.Gateway.Forwarding;

namespace Evergreen.Gateway.Lane;

/// <summary>
/// The gateway's own answers to lane requests — 503 with <c>Retry-After</c> when no destination can take the request, 502
/// or 504 when the destination failed — with the same problem details Kestrel's path writes: they are produced by the
/// same code (<see cref="GatewayResponses"/>, the problem details service) on a detached <see cref="HttpContext"/>, then
/// sent through the request's <see cref="LaneResponse"/>, which frames them as it frames a destination's response.
/// Errors are rare, so the detour costs nothing that matters.
/// </summary>
internal sealed class LaneErrors(IServiceProvider services, GatewayResponses responses, IProblemDetailsService problemDetails)
{
    /// <summary>503: no destination can take the request.</summary>
    public Task NoDestinationAsync(LaneRequest request, LaneResponse response, bool keepAlive, CancellationToken cancellationToken) =>
        SendAsync(request, response, keepAlive, responses.NoDestinationAsync, cancellationToken);

    /// <summary>The status Kestrel's path answers for a failed attempt (502, 504 on a time-out), naming the destination.</summary>
    public Task DestinationFailedAsync(
        LaneRequest request, LaneResponse response, int status, string destination, bool keepAlive, CancellationToken cancellationToken) =>
        SendAsync(
            request,
            response,
            keepAlive,
            async context =>
            {
                context.Response.StatusCode = status;
                context.Response.Headers[GatewayResponses.DestinationHeader] = destination;
                await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = { Status = status } });
            },
            cancellationToken);

    private async Task SendAsync(
        LaneRequest request, LaneResponse response, bool keepAlive, Func<HttpContext, Task> write, CancellationToken cancellationToken)
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

        var rendered = context.Response;
        response.Begin(Encoding.ASCII.GetBytes(rendered.Headers[GatewayResponses.DestinationHeader].ToString()), request.IsHead, keepAlive);
        response.SetStatus(rendered.StatusCode);
        foreach (var (name, values) in rendered.Headers)
        {
            if (name.Equals(GatewayResponses.DestinationHeader, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var value in values)
            {
                response.AddHeader(name, value ?? string.Empty);
            }
        }

        response.ContentLength = body.Length;
        if (!request.IsHead && body.Length > 0)
        {
            await response.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length), cancellationToken);
        }

        await response.CompleteAsync(cancellationToken);
    }
}
