using System.Diagnostics;
using Evergreen.ServiceDefaults.Health;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Evergreen.ServiceDefaults.Telemetry;

/// <summary>
/// Shapes the server span ASP.NET Core starts for each request, which without the instrumentation package carries
/// neither a useful name nor tags: adds the HTTP semantic-convention tags and names it "GET /route/{template}".
/// Health probes are marked not recorded, so exporters skip them and parent-based sampling drops any child spans
/// their checks start.
/// </summary>
internal sealed class RequestActivityMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            await next(context);
            return;
        }

        var request = context.Request;
        activity.SetTag("http.request.method", request.Method);
        activity.SetTag("url.scheme", request.Scheme);
        activity.SetTag("url.path", request.PathBase.Add(request.Path).Value);
        activity.SetTag("server.address", request.Host.Host);
        activity.SetTag("network.protocol.version", request.Protocol);

        if (HealthEndpoints.IsHealthPath(request.Path))
        {
            activity.IsAllDataRequested = false;
            activity.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            await next(context);
            return;
        }

        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            activity.SetTag("error.type", ex.GetType().FullName);
            activity.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            var status = context.Response.StatusCode;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            activity.SetTag("http.response.status_code", status);
            if (route is not null)
            {
                activity.SetTag("http.route", route);
            }

            activity.DisplayName = route is null ? request.Method : $"{request.Method} {route}";
            if (status >= StatusCodes.Status500InternalServerError)
            {
                activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
