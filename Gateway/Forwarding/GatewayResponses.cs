using System.Globalization;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// The gateway's own answers on proxied routes, as problem details with <c>X-Evergreen-Destination: gateway</c>: 503 with
/// <c>Retry-After</c> when no destination can take the request, 401 without a valid API key, 413 over the body limit.
/// </summary>
internal sealed class GatewayResponses(IProblemDetailsService problemDetails, Configuration.GatewayOptions options)
{
    /// <summary>Names the destination that produced the response; <see cref="GatewayValue"/> when the gateway answered itself.</summary>
    public const string DestinationHeader = "X-Evergreen-Destination";
    public const string GatewayValue = "gateway";

    private readonly string _retryAfter = options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);

    public Task NoDestinationAsync(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status503ServiceUnavailable,
        "No destination available",
        "No runtime replica can take this request right now (all are unhealthy, draining or unreachable). Retry after the given delay.",
        _retryAfter);

    public Task ApiKeyRequiredAsync(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status401Unauthorized,
        "API key required",
        $"Requests to /v1 need a valid client API key in the '{ApiKeyValidator.HeaderName}' header.",
        wwwAuthenticate: $"ApiKey header=\"{ApiKeyValidator.HeaderName}\"");

    public Task TooLargeAsync(HttpContext context) => WriteAsync(
        context,
        StatusCodes.Status413PayloadTooLarge,
        "Request body too large",
        $"The request body is larger than the gateway's limit of {options.MaxRequestBodyBytes} bytes (Gateway:MaxRequestBodyBytes).");

    private async Task WriteAsync(
        HttpContext context, int status, string title, string detail, string? retryAfter = null, string? wwwAuthenticate = null)
    {
        var response = context.Response;
        response.Clear();
        response.StatusCode = status;
        response.Headers[DestinationHeader] = GatewayValue;
        if (retryAfter is not null)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        if (wwwAuthenticate is not null)
        {
            response.Headers.WWWAuthenticate = wwwAuthenticate;
        }

        var written = await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        });
        if (!written)
        {
            // The client's Accept header rules out problem+json.
            await response.WriteAsync(detail, context.RequestAborted);
        }
    }
}
