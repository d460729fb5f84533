using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Hosting;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>The full app model booted once: every resource healthy, the control API, restarts and crash recovery.</summary>
public sealed class RunningSystemTests(RunningSystemFixture fixture) : IClassFixture<RunningSystemFixture>
{
    private static readonly string[] ExpectedResources =
        ["postgres", "redis", "plugins", "configstore", "agentruntime-blue", "agentruntime-green", "gateway", "upgradeorchestrator"];

    private AppHostInstance Instance => fixture.Instance;

    [Fact]
    public async Task StartAsync_FullModel_EveryResourceIsHealthy()
    {
        using var client = Instance.CreateControlClient();

        var resources = await client.GetFromJsonAsync<List<ResourceStatus>>("/api/resources", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(ExpectedResources.Order(), resources!.Select(r => r.Name).Order());
        Assert.All(resources!, r => Assert.Equal("healthy", r.Health));
        Assert.All(resources!.Where(r => r.Kind != "git"), r => Assert.NotNull(r.Pid));
    }

    [Theory]
    [InlineData("configstore")]
    [InlineData("agentruntime-blue")]
    [InlineData("agentruntime-green")]
    [InlineData("gateway")]
    [InlineData("upgradeorchestrator")]
    public async Task Service_HealthReady_Answers200(string name)
    {
        var service = Instance.Application.GetResource(name)!;
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(new Uri(service.Url!), "/health/ready"), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ControlApi_WithoutToken_Returns401ProblemDetails()
    {
        using var client = Instance.CreateControlClient(withToken: false);

        using var response = await client.GetAsync("/api/resources", TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ControlApi_UnknownResource_Returns404NamingTheKnownOnes()
    {
        using var client = Instance.CreateControlClient();

        using var response = await client.PostAsync("/api/resources/nope/restart", null, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("agentruntime-blue", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Restart_Replica_ComesBackHealthyWithNewPid()
    {
        var before = Instance.Application.GetResource("agentruntime-green")!;
        using var client = Instance.CreateControlClient();

        using var response = await client.PostAsync("/api/resources/agentruntime-green/restart", null, TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromSeconds(60));
        response.EnsureSuccessStatusCode();
        var after = await Instance.Application.WaitForResourceHealthyAsync("agentruntime-green", TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromSeconds(60));

        Assert.NotEqual(before.Pid, after.Pid);
        Assert.False(ProcessTable.IsAlive(before.Pid!.Value), "the old process must be gone after a graceful restart");
        Assert.Equal(before.Restarts + 1, after.Restarts);
    }

    [Fact]
    public async Task CrashedProcess_KilledFromOutside_IsRestartedAndCounted()
    {
        var before = Instance.Application.GetResource("agentruntime-blue")!;

        System.Diagnostics.Process.GetProcessById(before.Pid!.Value).Kill();

        await Eventually.Until(
            () => Instance.Application.GetResource("agentruntime-blue") is { Health: "healthy" } now && now.Pid != before.Pid,
            TimeSpan.FromSeconds(60),
            "the launcher restarts a crashed replica",
            TestContext.Current.CancellationToken);
        var after = Instance.Application.GetResource("agentruntime-blue")!;
        Assert.True(after.Restarts > before.Restarts);
        Assert.False(ProcessTable.IsAlive(before.Pid!.Value));
    }
}
