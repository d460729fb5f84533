using Microsoft.AspNetCore.Http;

namespace Evergreen.ServiceDefaults.Health;

/// <summary>Counts requests into <see cref="InFlightRequests"/>, leaving out <c>/health*</c>.</summary>
internal sealed class InFlightRequestsMiddleware(RequestDelegate next, InFlightRequests inFlight)
{
    public Task InvokeAsync(HttpContext context) =>
        HealthEndpoints.IsHealthPath(context.Request.Path) ? next(context) : CountAsync(context);

    private async Task CountAsync(HttpContext context)
    {
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
