using Evergreen.ServiceDefaults.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>Redis publish/subscribe for a service.</summary>
public static class RedisExtensions
{
    /// <summary>The connection string name: configuration key <c>ConnectionStrings:redis</c>.</summary>
    public const string ConnectionStringName = "redis";

    /// <summary>
    /// Registers a singleton <see cref="IRedisBus"/> for <c>ConnectionStrings:redis</c> (StackExchange.Redis syntax,
    /// for example <c>127.0.0.1:6380</c>) and the readiness check <c>redis</c>. The connection starts in the
    /// background when the host starts and never blocks start-up; the container owns and disposes the bus.
    /// A missing connection string fails the first resolution of the bus with a message naming the variable to set.
    /// </summary>
    /// <typeparam name="TBuilder">The host builder type.</typeparam>
    /// <param name="builder">The application's builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder AddRedis<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(sp =>
        {
            var connectionString = sp.GetRequiredService<IConfiguration>().GetConnectionString(ConnectionStringName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    "ConnectionStrings:redis is not set: set ConnectionStrings__redis, for example \"127.0.0.1:6380\".");
            }

            return new RedisBus(connectionString, sp.GetRequiredService<ILogger<RedisBus>>());
        });
        builder.Services.AddSingleton<IRedisBus>(sp => sp.GetRequiredService<RedisBus>());
        builder.Services.AddHostedService<RedisConnectionStarter>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            ConnectionStringName,
            sp => new RedisHealthCheck(sp.GetRequiredService<RedisBus>()),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        return builder;
    }
}
