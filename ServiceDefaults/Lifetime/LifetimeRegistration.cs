using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Lifetime;

/// <summary>Graceful shutdown: grace period, drain delay and the <see cref="ServiceLifecycle"/>.</summary>
internal static class LifetimeRegistration
{
    public const string GracePeriodKey = "Evergreen:ShutdownGracePeriod";
    public const string DrainDelayKey = "Evergreen:ShutdownDrainDelay";
    public static readonly TimeSpan DefaultGracePeriod = TimeSpan.FromSeconds(60);

    public static void AddLifetimeDefaults(this IServiceCollection services)
    {
        // The host's stop token carries this timeout; Kestrel waits for in-flight requests until it fires.
        services.AddOptions<HostOptions>().Configure<IConfiguration>((options, configuration) =>
            options.ShutdownTimeout = ConfigurationValues.GetDuration(configuration, GracePeriodKey, DefaultGracePeriod));

        services.AddSingleton(sp => new ServiceLifecycle(
            sp.GetRequiredService<IHostApplicationLifetime>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<ILogger<ServiceLifecycle>>()));
        services.AddHostedService<ShutdownDrainService>();
    }
}
