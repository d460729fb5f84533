using Evergreen.Gateway.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// First step of the proxy pipeline: the API key (401), the body limit (413) and buffering of request bodies, so a
/// request whose connection attempt failed can be sent again, whole, to another destination. Requests without a body
/// (most GETs, the benchmark's load) pass through without allocating anything here.
/// </summary>
internal sealed class RequestAdmissionStep(RequestDelegate next, GatewayOptions options, ApiKeyValidator apiKeys, GatewayResponses responses)
{
    private const int InMemoryBodyBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        // The common case — no API keys configured, no body — passes straight through without an async frame.
        return apiKeys.Enabled || RequestBodyDetection.CanHaveBody(context) ? AdmitAsync(context) : next(context);
    }

    private async Task AdmitAsync(HttpContext context)
    {
        var request = context.Request;
        if (apiKeys.Enabled)
        {
            if (!apiKeys.IsValid(request.Headers[ApiKeyValidator.HeaderName]))
            {
                await responses.ApiKeyRequiredAsync(context);
                return;
            }

            // The key is for the gateway; replicas never see it.
            request.Headers.Remove(ApiKeyValidator.HeaderName);
        }

        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            await responses.TooLargeAsync(context);
            return;
        }

        switch (RequestBodyDetection.CanHaveBody(context) ? await BufferBodyAsync(context) : Buffering.Done)
        {
            case Buffering.TooLarge:
                await responses.TooLargeAsync(context);
                return;
            case Buffering.ClientGone:
                return;
        }

        await next(context);
    }

    private async Task<Buffering> BufferBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxRequestBodyBytes;
        }

        var request = context.Request;
        request.EnableBuffering(InMemoryBodyBytes, options.MaxRequestBodyBytes);
        try
        {
            await request.Body.DrainAsync(context.RequestAborted);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            return Buffering.ClientGone;
        }
        catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or IOException)
        {
            // Kestrel's limit (413) or the buffer's limit (IOException) was hit.
            return Buffering.TooLarge;
        }

        request.Body.Position = 0;
        return Buffering.Done;
    }

    private enum Buffering
    {
        Done,
        TooLarge,
        ClientGone,
    }
}
