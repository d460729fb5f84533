using Microsoft.AspNetCore.Http;

namespace Evergreen.ServiceDefaults.Telemetry;

/// <summary>Applies <see cref="RequestActivityShaping"/> to every request's server span.</summary>
internal sealed class RequestActivityMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context) =>
        RequestActivityShaping.Begin(context) is { } activity ? ShapeAsync(context, activity) : next(context);

    private async Task ShapeAsync(HttpContext context, System.Diagnostics.Activity activity)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            RequestActivityShaping.Fail(activity, ex);
            throw;
        }
        finally
        {
            RequestActivityShaping.End(activity, context);
        }
    }
}
