using Evergreen.Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Evergreen.Gateway.Tests.Configuration;

public sealed class DestinationCatalogTests
{
    [Fact]
    public void FromConfiguration_AppHostServiceAddresses_BecomeDestinationsWithEqualWeights()
    {
        var catalog = Read(new()
        {
            ["services:agentruntime-green:http:0"] = "http://127.0.0.1:5302",
            ["services:agentruntime-blue:http:0"] = "http://127.0.0.1:5301/",
            ["services:configstore:http:0"] = "http://127.0.0.1:5100",
        });

        Assert.Equal(
            [("agentruntime-blue", "blue", "http://127.0.0.1:5301", 50), ("agentruntime-green", "green", "http://127.0.0.1:5302", 50)],
            catalog.Destinations.Select(d => (d.Id, d.Replica, d.Address, d.InitialWeight)));
        Assert.Equal([0, 1], catalog.Destinations.Select(d => d.Index));
    }

    [Fact]
    public void FromConfiguration_ExplicitSection_AddsDestinationsAndSetsWeights()
    {
        var catalog = Read(new()
        {
            ["services:agentruntime-blue:http:0"] = "http://127.0.0.1:5301",
            ["Gateway:Destinations:agentruntime-blue:Weight"] = "90",
            ["Gateway:Destinations:canary:Address"] = "http://10.0.0.5:8080",
            ["Gateway:Destinations:canary:Weight"] = "10",
        });

        Assert.Equal(
            [("agentruntime-blue", 90), ("canary", 10)],
            catalog.Destinations.Select(d => (d.Id, d.InitialWeight)));
    }

    [Theory]
    [InlineData("Gateway:Destinations:x:Address", "not a uri")]
    [InlineData("Gateway:Destinations:agentruntime-blue:Weight", "101")]
    [InlineData("Gateway:Destinations:ghost:Weight", "10")]
    public void FromConfiguration_InvalidEntry_FailsNamingTheProblem(string key, string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(new()
        {
            ["services:agentruntime-blue:http:0"] = "http://127.0.0.1:5301",
            [key] = value,
        }));

        Assert.Contains(key.Split(':')[2], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Defaults_MatchTheIssue()
    {
        var options = GatewayOptions.Read(new ConfigurationBuilder().Build());

        Assert.Equal(1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Empty(options.ApiKeys);
        Assert.Equal(TimeSpan.FromSeconds(1), options.HealthCheckInterval);
        Assert.Equal("/health/ready", options.HealthCheckPath);
    }

    private static DestinationCatalog Read(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return DestinationCatalog.FromConfiguration(configuration, GatewayOptions.Read(configuration));
    }
}
