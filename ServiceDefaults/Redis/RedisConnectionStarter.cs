using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Redis;

/// <summary>Starts the Redis connection with the host, without waiting for it.</summary>
internal sealed class RedisConnectionStarter(RedisBus bus) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        bus.StartConnecting();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
