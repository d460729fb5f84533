using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Evergreen.Testing;

/// <summary>Real Kestrel servers for tests: on 127.0.0.1, on a port the OS picks, silent.</summary>
public static class LoopbackApps
{
    /// <summary>A slim app bound to <c>http://127.0.0.1:0</c> with no log providers; the caller maps it and starts it.</summary>
    public static WebApplication CreateSlim()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    /// <summary>The address a started server listens on, e.g. <c>http://127.0.0.1:41234</c> (no trailing '/').</summary>
    public static string AddressOf(IServiceProvider services) =>
        services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
}
