using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Telemetry;

/// <summary>
/// Ties <see cref="TelemetryProviders"/> to the host: resolving it here creates the providers at start-up, and
/// <see cref="StoppedAsync"/> disposes them once every hosted service (the web server included, so the last
/// drained requests are traced) has stopped.
/// </summary>
internal sealed class TelemetryLifetimeService(TelemetryProviders providers) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        providers.Dispose();
        return Task.CompletedTask;
    }
}
