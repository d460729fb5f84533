using Microsoft.AspNetCore.Http.Features;

namespace Evergreen.Gateway.Forwarding;

/// <summary>Whether a request carries a body, as the admission step and the forwarder both need to know.</summary>
internal static class RequestBodyDetection
{
    /// <summary>
    /// The server's own answer (a positive <c>Content-Length</c>, or a chunked body), or without a server that gives one a
    /// positive <c>Content-Length</c>.
    /// </summary>
    public static bool CanHaveBody(HttpContext context) =>
        context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? context.Request.ContentLength > 0;
}
