using System.Net;
using Evergreen.ServiceDefaults.Lifetime;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Evergreen.ServiceDefaults.Tests.Lifetime;

public sealed class GracefulShutdownTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_SlowRequestInFlight_RequestCompletesWhileReadinessAnswers503()
    {
        var time = new ManualTimeProvider();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Evergreen:ShutdownDrainDelay"] = "30" },
            configure: b => b.Services.AddSingleton<TimeProvider>(time),
            map: app => app.MapGet("/slow", async () =>
            {
                entered.TrySetResult();
                await release.Task;
                return "finished";
            }));

        var slow = server.Client.GetStringAsync("/slow", Token);
        await entered.Task.DefaultTimeout();
        var stopping = server.App.StopAsync(Token);
        try
        {
            // Readiness turns 503 at once while the server still accepts connections (the drain delay).
            await Eventually.Until(
                async () => (await NewConnectionGetAsync(server.Address, "/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                TimeSpan.FromSeconds(10),
                "readiness answers 503",
                Token);
            using (var ready = await NewConnectionGetAsync(server.Address, "/health/ready").DefaultTimeout())
            {
                Assert.Equal(ServiceLifecycle.ShuttingDownReason, (await Json.ReadAsync(ready)).GetProperty("reason").GetString());
            }

            // After the drain delay the server stops accepting, yet keeps serving the request already in flight.
            await Eventually.Until(() => time.ActiveTimers > 0, TimeSpan.FromSeconds(10), "the drain delay started", Token);
            time.Advance(TimeSpan.FromSeconds(30));
            await Eventually.Until(
                async () => await IsRefusedAsync(server.Address),
                TimeSpan.FromSeconds(10),
                "the server refuses new connections",
                Token);
            Assert.False(slow.IsCompleted);
            Assert.False(stopping.IsCompleted);

            release.SetResult();

            Assert.Equal("finished", await slow.DefaultTimeout());
            await stopping.DefaultTimeout();
        }
        finally
        {
            // Never leave the host waiting on the manual clock or the handler, whatever failed above.
            release.TrySetResult();
            time.Advance(TimeSpan.FromHours(1));
        }
    }

    [Fact]
    public async Task ApplicationStopping_Fired_LifecycleReportsShuttingDownAndDraining()
    {
        await using var server = await TestApp.StartAsync();
        var lifecycle = server.Services.GetRequiredService<ServiceLifecycle>();
        Assert.True(lifecycle.IsStarted);
        Assert.False(lifecycle.IsDraining);

        server.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.True(lifecycle.IsShuttingDown);
        Assert.True(lifecycle.IsDraining);
        Assert.Equal(ServiceLifecycle.ShuttingDownReason, lifecycle.DrainReason);
    }

    [Fact]
    public async Task ShutdownTimeout_NotConfigured_IsSixtySeconds()
    {
        await using var server = await TestApp.StartAsync();

        Assert.Equal(TimeSpan.FromSeconds(60), server.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    [Theory]
    [InlineData("15", 15)]
    [InlineData("00:02:00", 120)]
    public async Task ShutdownTimeout_GracePeriodConfigured_FollowsIt(string configured, int expectedSeconds)
    {
        await using var server = await TestApp.StartAsync(
            settings: new Dictionary<string, string?> { ["Evergreen:ShutdownGracePeriod"] = configured });

        Assert.Equal(
            TimeSpan.FromSeconds(expectedSeconds),
            server.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
    }

    private static async Task<HttpResponseMessage> NewConnectionGetAsync(Uri address, string path)
    {
        using var client = new HttpClient { BaseAddress = address };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.ConnectionClose = true;
        var response = await client.SendAsync(request, Token);
        await response.Content.LoadIntoBufferAsync(Token);
        return response;
    }

    private static async Task<bool> IsRefusedAsync(Uri address)
    {
        try
        {
            using var response = await NewConnectionGetAsync(address, "/health");
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
    }
}
