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
/// their checks start. Used by <see cref="RequestActivityMiddleware"/> and by request paths that run ahead of it.
/// </summary>
public static class RequestActivityShaping
{
    /// <summary>Tags the request's span; returns it when it must be finished by <see cref="End"/>, or null.</summary>
    public static Activity? Begin(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var activity = context.Features.Get<IHttpActivityFeature>()?.Activity;
        if (activity is null || !activity.IsAllDataRequested)
        {
            return null;
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
            return null;
        }

        return activity;
    }

    /// <summary>Records an exception that escaped the pipeline.</summary>
    public static void Fail(Activity activity, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(exception);
        activity.SetTag("error.type", exception.GetType().FullName);
        activity.SetStatus(ActivityStatusCode.Error, exception.Message);
    }

    /// <summary>Adds the status and route, and names the span after the route.</summary>
    public static void End(Activity activity, HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(context);
        var status = context.Response.StatusCode;
        var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        activity.SetTag("http.response.status_code", status);
        if (route is not null)
        {
            activity.SetTag("http.route", route);
        }

        var method = context.Request.Method;
        activity.DisplayName = route is null ? method : $"{method} {route}";
        if (status >= StatusCodes.Status500InternalServerError)
        {
            activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
