using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Evergreen.AppHost.Control;

/// <summary>
/// The dashboard page: resources, their health and logs, with restart/stop/start buttons. The page itself holds no
/// data; it calls the control API with the admin token the user pastes once (kept in the browser's local storage).
/// </summary>
internal static class Dashboard
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(Dashboard).Assembly.GetManifestResourceStream("dashboard.html")
            ?? throw new InvalidOperationException("dashboard.html is not embedded in the AppHost assembly.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    });

    public static IEndpointConventionBuilder MapDashboard(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/", () => Results.Bytes(Page.Value, "text/html; charset=utf-8"));
}
