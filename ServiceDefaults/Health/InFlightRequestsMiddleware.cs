using Microsoft.AspNetCore.Http;

namespace Evergreen.ServiceDefaults.Health;

/// <summary>Counts requests into <see cref="InFlightRequests"/>, leaving out <c>/health*</c>.</summary>
internal sealed class InFlightRequestsMiddleware(RequestDelegate next, InFlightRequests inFlight)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HealthEndpoints.IsHealthPath(context.Request.Path))
        {
            await next(context);
            return;
        }

        inFlight.Increment();
        try
        {
            await next(context);
        }
        finally
        {
            inFlight.Decrement();
        }
    }
}
