using System.Net;
using Evergreen.ServiceDefaults.Health;
using Evergreen.ServiceDefaults.Lifetime;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Liveness_ProcessRunning_Returns200Healthy()
    {
        await using var server = await TestApp.StartAsync();

        using var response = await server.Client.GetAsync("/health", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", (await Json.ReadAsync(response)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_StartedWithHealthyChecks_Returns200()
    {
        await using var server = await TestApp.StartAsync(configure: b =>
            b.Services.AddHealthChecks().AddCheck("fine", () => HealthCheckResult.Healthy("all good"), ["ready"]));

        using var response = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("reason").ValueKind);
        Assert.Equal("all good", body.GetProperty("checks").GetProperty("fine").GetProperty("description").GetString());
    }

    [Fact]
    public async Task Readiness_ReadyCheckUnhealthy_Returns503WithReasonAndChecks()
    {
        await using var server = await TestApp.StartAsync(configure: b => b.Services.AddHealthChecks()
            .AddCheck("fine", () => HealthCheckResult.Healthy(), ["ready"])
            .AddCheck("broken", () => HealthCheckResult.Unhealthy("disk on fire"), ["ready"])
            .AddCheck("not-for-readiness", () => HealthCheckResult.Unhealthy("ignored")));

        using var response = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await Json.ReadAsync(response);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("broken: disk on fire", body.GetProperty("reason").GetString());
        var checks = body.GetProperty("checks");
        Assert.Equal("Unhealthy", checks.GetProperty("broken").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("fine").GetProperty("status").GetString());
        Assert.False(checks.TryGetProperty("not-for-readiness", out _));
    }

    [Fact]
    public async Task Readiness_DrainingThenDrainEnded_Returns503ThenReturns200()
    {
        await using var server = await TestApp.StartAsync();
        var lifecycle = server.Services.GetRequiredService<ServiceLifecycle>();

        lifecycle.BeginDrain("rollout 42");
        using var draining = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();
        lifecycle.EndDrain();
        using var drained = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, draining.StatusCode);
        Assert.Equal("draining: rollout 42", (await Json.ReadAsync(draining)).GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.OK, drained.StatusCode);
    }

    [Fact]
    public async Task Info_Configured_ReportsIdentityUptimeAndContributions()
    {
        await using var server = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["OTEL_SERVICE_NAME"] = "agentruntime", ["Evergreen:Replica"] = "blue" },
            configure: b => b.Services.AddSingleton<IHealthInfoContributor>(new RevisionContributor("rev-7")));

        using var response = await server.Client.GetAsync("/health/info", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var info = await Json.ReadAsync(response);
        Assert.Equal("agentruntime", info.GetProperty("service").GetString());
        Assert.Equal("blue", info.GetProperty("replica").GetString());
        Assert.False(string.IsNullOrEmpty(info.GetProperty("version").GetString()));
        Assert.Equal("running", info.GetProperty("state").GetString());
        Assert.True(info.GetProperty("uptimeSeconds").GetDouble() >= 0);
        Assert.True(info.GetProperty("startedAt").GetDateTimeOffset() <= DateTimeOffset.UtcNow);
        Assert.Equal(0, info.GetProperty("inFlightRequests").GetInt64());
        Assert.Equal("rev-7", info.GetProperty("revision").GetString());
    }

    [Fact]
    public async Task Info_NoServiceNameOrReplica_UsesApplicationNameAndNullReplica()
    {
        await using var server = await TestApp.StartAsync();

        using var response = await server.Client.GetAsync("/health/info", Token).DefaultTimeout();

        var info = await Json.ReadAsync(response);
        Assert.Equal(server.Services.GetRequiredService<IHostEnvironment>().ApplicationName, info.GetProperty("service").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, info.GetProperty("replica").ValueKind);
    }

    [Fact]
    public async Task Info_DuringSlowRequest_CountsItButNotHealthProbes()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApp.StartAsync(map: app => app.MapGet("/slow", async () =>
        {
            entered.TrySetResult();
            await release.Task;
            return "done";
        }));

        var slow = server.Client.GetStringAsync("/slow", Token);
        await entered.Task.DefaultTimeout();
        using var during = await server.Client.GetAsync("/health/info", Token).DefaultTimeout();
        release.SetResult();
        await slow.DefaultTimeout();

        Assert.Equal(1, (await Json.ReadAsync(during)).GetProperty("inFlightRequests").GetInt64());
        await Eventually.Until(
            () => server.Services.GetRequiredService<InFlightRequests>().Count == 0,
            TimeSpan.FromSeconds(10),
            "the slow request is no longer counted",
            Token);
    }

    [Fact]
    public async Task HealthEndpoints_AdminTokenConfiguredAndFallbackPolicy_AnswerWithoutAuthorization()
    {
        await using var server = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Evergreen:AdminToken"] = "secret-token" },
            configure: b => b.Services.AddAuthorizationBuilder().SetFallbackPolicy(
                new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()));

        using var live = await server.Client.GetAsync("/health", Token).DefaultTimeout();
        using var ready = await server.Client.GetAsync("/health/ready", Token).DefaultTimeout();
        using var info = await server.Client.GetAsync("/health/info", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, info.StatusCode);
    }

    [Fact]
    public async Task MapDefaultEndpoints_WithoutServiceDefaults_ThrowsSayingWhatToCall()
    {
        var builder = WebApplication.CreateBuilder();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapDefaultEndpoints());

        Assert.Contains("AddServiceDefaults", error.Message, StringComparison.Ordinal);
    }

    private sealed class RevisionContributor(string revision) : IHealthInfoContributor
    {
        public void Contribute(IDictionary<string, object?> info) => info["revision"] = revision;
    }
}
