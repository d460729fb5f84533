using Evergreen.ServiceDefaults.ServiceDiscovery;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Tests.ServiceDiscovery;

public sealed class ServiceEndpointsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public void Resolve_HttpAddressConfigured_ReturnsItWithTrailingSlash()
    {
        var configuration = Configuration(("services:configstore:http:0", "http://127.0.0.1:5100"));

        var endpoint = ServiceEndpoints.Resolve(configuration, "configstore");

        Assert.Equal(new Uri("http://127.0.0.1:5100/"), endpoint);
    }

    [Fact]
    public void Resolve_AddressWithPath_KeepsPathForRelativeRequests()
    {
        var configuration = Configuration(("services:gateway:http:0", "http://127.0.0.1:5000/api"));

        var endpoint = ServiceEndpoints.Resolve(configuration, "gateway");

        Assert.Equal(new Uri("http://127.0.0.1:5000/api/items"), new Uri(endpoint, "items"));
    }

    [Fact]
    public void Resolve_HttpAndHttpsConfigured_PrefersHttps()
    {
        var configuration = Configuration(
            ("services:configstore:http:0", "http://127.0.0.1:5100"),
            ("services:configstore:https:0", "https://127.0.0.1:5101"));

        Assert.Equal(new Uri("https://127.0.0.1:5101/"), ServiceEndpoints.Resolve(configuration, "configstore"));
    }

    [Fact]
    public void Resolve_EnvironmentVariableForm_ResolvesIt()
    {
        // A unique prefix keeps this process-wide variable invisible to every other test.
        var prefix = $"EVERGREEN_TEST_{Guid.NewGuid():N}_";
        Environment.SetEnvironmentVariable($"{prefix}services__upgradeorchestrator__http__0", "http://127.0.0.1:5200");
        try
        {
            var configuration = new ConfigurationBuilder().AddEnvironmentVariables(prefix).Build();

            Assert.Equal(new Uri("http://127.0.0.1:5200/"), ServiceEndpoints.Resolve(configuration, "upgradeorchestrator"));
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{prefix}services__upgradeorchestrator__http__0", null);
        }
    }

    [Fact]
    public void Resolve_NameNotConfigured_ThrowsNamingTheVariableToSet()
    {
        var configuration = Configuration(("services:gateway:http:0", "http://127.0.0.1:5000"));

        var error = Assert.Throws<InvalidOperationException>(() => ServiceEndpoints.Resolve(configuration, "configstore"));

        Assert.StartsWith(
            "Service 'configstore' has no address: set services__configstore__http__0",
            error.Message,
            StringComparison.Ordinal);
        Assert.False(ServiceEndpoints.TryResolve(configuration, "configstore", out _));
    }

    [Theory]
    [InlineData("127.0.0.1:5100")]
    [InlineData("not a uri")]
    [InlineData("ftp://127.0.0.1/")]
    public void Resolve_AddressNotAnAbsoluteHttpUri_ThrowsNamingTheKey(string configured)
    {
        var configuration = Configuration(("services:configstore:http:0", configured));

        var error = Assert.Throws<InvalidOperationException>(() => ServiceEndpoints.Resolve(configuration, "configstore"));

        Assert.Contains("services:configstore:http:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddServiceHttpClient_ServiceConfigured_TypedClientCallsIt()
    {
        await using var configStore = await TestApp.StartAsync(map: app => app.MapGet("/hello", () => "hello from configstore"));
        using var host = BuildClientHost(
            new Dictionary<string, string?> { ["services:configstore:http:0"] = configStore.Address.ToString() },
            services => services.AddServiceHttpClient<ConfigStoreClient>("configstore"));

        var client = host.Services.GetRequiredService<ConfigStoreClient>();

        Assert.Equal("hello from configstore", await client.HelloAsync(Token).DefaultTimeout());
    }

    [Fact]
    public void WithServiceBaseAddress_ServiceNotConfigured_ThrowsWhenTheClientIsCreated()
    {
        using var host = BuildClientHost(
            new Dictionary<string, string?>(),
            services => services.AddHttpClient("configstore").WithServiceBaseAddress("configstore"));

        var factory = host.Services.GetRequiredService<IHttpClientFactory>();
        var error = Assert.Throws<InvalidOperationException>(() => factory.CreateClient("configstore"));

        Assert.Contains("services__configstore__http__0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolver_Registered_ResolvesFromApplicationConfiguration()
    {
        using var host = BuildClientHost(
            new Dictionary<string, string?> { ["services:gateway:http:0"] = "http://127.0.0.1:5000" },
            _ => { });

        var resolver = host.Services.GetRequiredService<IServiceEndpointResolver>();

        Assert.Equal(new Uri("http://127.0.0.1:5000/"), resolver.Resolve("gateway"));
        Assert.False(resolver.TryResolve("configstore", out var missing));
        Assert.Null(missing);
    }

    internal static IHost BuildClientHost(IDictionary<string, string?> settings, Action<IServiceCollection> configure)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Production });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddServiceDefaults();
        configure(builder.Services);
        return builder.Build();
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    private sealed class ConfigStoreClient(HttpClient http)
    {
        public Task<string> HelloAsync(CancellationToken cancellationToken) => http.GetStringAsync(new Uri("hello", UriKind.Relative), cancellationToken);
    }
}
