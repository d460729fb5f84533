using System.Collections.Concurrent;
using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding;

public sealed class FailoverTests
{
    [Fact]
    public async Task Forward_BackendKilledMidTest_NoClientFailureForRequestsThatHadNotReachedIt()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        using var load = new LoadLoop(gateway, workers: 6);

        await Eventually.Until(() => load.Completed >= 300, TimeSpan.FromSeconds(30), "300 requests went through before the kill", TestContext.Current.CancellationToken);
        Assert.True(green.RequestCount > 0);
        await green.KillAsync();
        var atKill = load.Completed;
        await Eventually.Until(() => load.Completed >= atKill + 600, TimeSpan.FromSeconds(30), "600 more requests after the kill", TestContext.Current.CancellationToken);
        await load.StopAsync();

        // A request may fail only if it had reached the killed backend: it was inside green's handler, or the gateway had
        // already written it to a connection green's kernel accepted (reset afterwards, e.g. from the accept queue) and
        // answered 502 naming green. A refused connection never surfaces: it is retried on blue.
        var failures = load.Failures.ToList();
        Assert.All(failures, f => Assert.True(
            green.ReceivedRequestIds.ContainsKey(f.RequestId) || f.Outcome == $"HTTP 502 from {GatewayTestHost.Green}",
            $"{f.RequestId} failed ({f.Outcome}) without reaching green"));
        Assert.True(failures.Count <= 6, $"{failures.Count} failures");
        Assert.True(load.Successes >= atKill + 600 - failures.Count);

        var destinations = await gateway.GetDestinationsAsync();
        Assert.False(destinations.Single(d => d.Id == GatewayTestHost.Green).Available);
    }

    [Fact]
    public async Task Forward_AllBackendsDown_Answers503WithRetryAfter()
    {
        await using var gateway = await GatewayTestHost.StartAsync(new Dictionary<string, Uri>
        {
            [GatewayTestHost.Blue] = DeadEndpoint.Create(),
            [GatewayTestHost.Green] = DeadEndpoint.Create(),
        });

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.GetAsync("/v1/agents", TestContext.Current.CancellationToken).DefaultTimeout();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
            Assert.Equal("gateway", GatewayTestHost.DestinationOf(response));
            Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forward_ConnectRefused_RetriesOnceElsewhereWithTheWholeBody()
    {
        await using var green = await TestBackend.StartAsync("green");
        // Active probes far apart, so the dead destination is found by the requests themselves (the retry under test) and
        // not taken out by two failed probes first; a long reactivation period keeps it passively unhealthy afterwards.
        await using var gateway = await GatewayTestHost.StartAsync(
            new Dictionary<string, Uri>
            {
                [GatewayTestHost.Blue] = DeadEndpoint.Create(),
                [GatewayTestHost.Green] = green.Address,
            },
            new Dictionary<string, string?>
            {
                ["Gateway:HealthCheck:Interval"] = "00:10:00",
                ["Gateway:HealthCheck:ReactivationPeriod"] = "00:05:00",
            });
        var body = new string('x', 200_000);

        for (var i = 0; i < 10; i++)
        {
            using var response = await gateway.Client.PostAsync(
                "/v1/runs", new StringContent(body), TestContext.Current.CancellationToken).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(GatewayTestHost.Green, GatewayTestHost.DestinationOf(response));
            Assert.Equal($"green|{body}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var blue = (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Blue);
        Assert.Equal("unhealthy", blue.Health.Passive);
        Assert.True(blue.Errors >= 1);
    }

    [Fact]
    public async Task Forward_RequestThatReachedABackend_IsNeverRetried()
    {
        await using var blue = await TestBackend.StartAsync("blue");
        await using var green = await TestBackend.StartAsync("green");
        await using var gateway = await GatewayTestHost.StartAsync(blue, green);
        await gateway.SetWeightsAsync(blue: 50, green: 50);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/abort") { Content = new StringContent("once") };
        request.Headers.Add(TestBackend.RequestIdHeader, "abort-1");
        request.Headers.Add("X-User-Id", StickyUsers.InFirstShare(0.5));
        using var response = await gateway.Client.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(GatewayTestHost.Blue, GatewayTestHost.DestinationOf(response));
        Assert.True(blue.ReceivedRequestIds.ContainsKey("abort-1"));
        Assert.Equal(0, green.RequestCount);
    }

    /// <summary>Keeps several clients sending GETs with unique request ids until stopped; records every outcome.</summary>
    private sealed class LoadLoop : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task[] _workers;
        private long _completed;
        private long _successes;
        private long _sequence;

        public LoadLoop(GatewayTestHost gateway, int workers)
        {
            _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(() => RunAsync(gateway)))];
        }

        public ConcurrentQueue<(string RequestId, string Outcome)> Failures { get; } = new();

        public long Completed => Interlocked.Read(ref _completed);

        public long Successes => Interlocked.Read(ref _successes);

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_workers).DefaultTimeout();
        }

        public void Dispose() => _stop.Dispose();

        private async Task RunAsync(GatewayTestHost gateway)
        {
            while (!_stop.IsCancellationRequested)
            {
                var id = $"req-{Interlocked.Increment(ref _sequence)}";
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/agents");
                request.Headers.Add(TestBackend.RequestIdHeader, id);
                try
                {
                    using var response = await gateway.Client.SendAsync(request, CancellationToken.None);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref _successes);
                    }
                    else
                    {
                        Failures.Enqueue((id, $"HTTP {(int)response.StatusCode} from {GatewayTestHost.DestinationOf(response)}"));
                    }
                }
                catch (HttpRequestException ex)
                {
                    Failures.Enqueue((id, ex.Message));
                }

                Interlocked.Increment(ref _completed);
            }
        }
    }
}
