using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Tests.TestSupport;

/// <summary>A real Kestrel app on 127.0.0.1 with a free port, built the way a service's Program.cs builds it.</summary>
internal sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Client = new HttpClient { BaseAddress = address };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    /// <summary>A plain client (no factory, so no retries) for the app.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<TestApp> StartAsync(
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null,
        bool serviceDefaults = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        if (serviceDefaults)
        {
            builder.AddServiceDefaults();
        }

        configure?.Invoke(builder);
        var app = builder.Build();
        if (serviceDefaults)
        {
            app.MapDefaultEndpoints();
        }

        map?.Invoke(app);
        try
        {
            await app.StartAsync(TestContext.Current.CancellationToken).DefaultTimeout();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        return new TestApp(app, new Uri(app.Urls.Single()));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await App.StopAsync(CancellationToken.None).DefaultTimeout();
        }
        finally
        {
            await App.DisposeAsync().DefaultTimeout();
        }
    }
}
