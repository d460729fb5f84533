using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Evergreen.ServiceDefaults.Http;

/// <summary>Adds <see cref="ResilienceHandler"/> to every client and binds its options.</summary>
internal static class HttpClientDefaultsRegistration
{
    public static void AddHttpClientResilienceDefaults(this IServiceCollection services)
    {
        // Named null: applies to every client name; a client's ConfigureResilience post-configures on top.
        services.AddSingleton<IConfigureOptions<HttpClientResilienceOptions>>(sp =>
            new ConfigureNamedOptions<HttpClientResilienceOptions>(name: null, options =>
                Bind(sp.GetRequiredService<IConfiguration>(), options)));

        // The named-options route rather than ConfigureHttpClientDefaults: its handler callbacks are not told the
        // client's name, and the handler needs the client's own options.
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>, AddResilienceHandler>();
    }

    private static void Bind(IConfiguration configuration, HttpClientResilienceOptions options)
    {
        const string Section = HttpClientResilienceOptions.SectionName;
        options.TotalTimeout = ConfigurationValues.GetDuration(configuration, $"{Section}:TotalTimeout", options.TotalTimeout);
        options.MaxRetries = ConfigurationValues.GetInt32(configuration, $"{Section}:MaxRetries", options.MaxRetries, 0, 10);
        options.RetryDelay = ConfigurationValues.GetDuration(configuration, $"{Section}:RetryDelay", options.RetryDelay);
    }

    /// <summary>
    /// Index 0 makes the handler the outermost one, whatever the client adds: the time-out covers every attempt
    /// and the client's own handlers run again on each retry.
    /// </summary>
    private sealed class AddResilienceHandler(
        IOptionsMonitor<HttpClientResilienceOptions> resilienceOptions, TimeProvider timeProvider, ILoggerFactory loggerFactory)
        : IConfigureNamedOptions<HttpClientFactoryOptions>
    {
        public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

        public void Configure(string? name, HttpClientFactoryOptions options)
        {
            var clientName = name ?? Options.DefaultName;
            options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.AdditionalHandlers.Insert(0, new ResilienceHandler(
                clientName,
                resilienceOptions.Get(clientName),
                timeProvider,
                loggerFactory.CreateLogger<ResilienceHandler>())));
        }
    }
}
