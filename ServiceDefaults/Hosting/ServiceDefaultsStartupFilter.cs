using Evergreen.ServiceDefaults.Health;
using Evergreen.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Evergreen.ServiceDefaults.Hosting;

/// <summary>
/// Puts the default middleware in front of the application's own pipeline, so a service cannot forget it
/// and every error leaves as <c>application/problem+json</c>.
/// </summary>
internal sealed class ServiceDefaultsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        // First, so it sees the request activity before anything starts child spans.
        app.UseMiddleware<RequestActivityMiddleware>();
        app.UseMiddleware<InFlightRequestsMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        next(app);
    };
}
