using System.Net;
using Evergreen.ServiceDefaults.Tests.ServiceDiscovery;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Tests.Http;

/// <summary>The default resilience of factory-made clients, against a real Kestrel that fails on purpose.</summary>
public sealed class ResilienceHandlerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_TwoTransient503s_RetriesAndSucceeds()
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: 2, StatusCodes.Status503ServiceUnavailable);
        using var host = ClientHost(upstream.Address);

        using var response = await Client(host).GetAsync("flaky", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, upstream.Attempts);
    }

    [Theory]
    [InlineData(StatusCodes.Status502BadGateway)]
    [InlineData(StatusCodes.Status503ServiceUnavailable)]
    [InlineData(StatusCodes.Status504GatewayTimeout)]
    public async Task GetAsync_AlwaysFailingWithGatewayError_GivesUpAfterTwoRetries(int status)
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: int.MaxValue, status);
        using var host = ClientHost(upstream.Address);

        using var response = await Client(host).GetAsync("flaky", Token).DefaultTimeout();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(3, upstream.Attempts);
    }

    [Fact]
    public async Task HeadAndOptions_Transient503_AreRetried()
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: 1, StatusCodes.Status503ServiceUnavailable);
        using var host = ClientHost(upstream.Address);

        using var head = await Client(host).SendAsync(new HttpRequestMessage(HttpMethod.Head, "flaky"), Token).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(2, upstream.Attempts);
    }

    [Fact]
    public async Task GetAsync_500_IsNotRetried()
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: int.MaxValue, StatusCodes.Status500InternalServerError);
        using var host = ClientHost(upstream.Address);

        using var response = await Client(host).GetAsync("flaky", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(1, upstream.Attempts);
    }

    [Fact]
    public async Task PostAsync_503_IsNeverRetried()
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: int.MaxValue, StatusCodes.Status503ServiceUnavailable);
        using var host = ClientHost(upstream.Address);

        using var response = await Client(host).PostAsync("flaky", new StringContent("{}"), Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Attempts);
    }

    [Fact]
    public async Task GetAsync_ConnectionRefused_RetriedTwiceThenThrows()
    {
        var attempts = new AttemptCounter();
        using var host = ClientHost(new Uri($"http://127.0.0.1:{Ports.Unused()}"), attempts);

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(host).GetAsync("flaky", Token)).DefaultTimeout();

        Assert.Equal(3, attempts.Count);
    }

    [Fact]
    public async Task PostAsync_ConnectionRefused_IsNotRetried()
    {
        var attempts = new AttemptCounter();
        using var host = ClientHost(new Uri($"http://127.0.0.1:{Ports.Unused()}"), attempts);

        await Assert.ThrowsAsync<HttpRequestException>(() => Client(host).PostAsync("flaky", new StringContent("{}"), Token)).DefaultTimeout();

        Assert.Equal(1, attempts.Count);
    }

    [Fact]
    public async Task GetAsync_SlowerThanTotalTimeout_ThrowsTimeoutExceptionNamingTheSetting()
    {
        await using var upstream = await TestApp.StartAsync(serviceDefaults: false, map: app => app.MapGet(
            "/hang", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted)));
        using var host = ClientHost(upstream.Address, settings: new() { ["Evergreen:Http:TotalTimeout"] = "0.3" });

        var error = await Assert.ThrowsAsync<TimeoutException>(() => Client(host).GetAsync("hang", Token)).DefaultTimeout();

        Assert.Contains("Evergreen:Http:TotalTimeout", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_CallerCancels_ThrowsOperationCanceledNotTimeout()
    {
        await using var upstream = await TestApp.StartAsync(serviceDefaults: false, map: app => app.MapGet(
            "/hang", async (HttpContext context) => await Task.Delay(Timeout.Infinite, context.RequestAborted)));
        using var host = ClientHost(upstream.Address);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Token);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(host).GetAsync("hang", cancellation.Token)).DefaultTimeout();
    }

    [Fact]
    public async Task ConfigureResilience_NoRetriesForOneClient_OverridesTheDefaults()
    {
        await using var upstream = await FlakyUpstream.StartAsync(failures: int.MaxValue, StatusCodes.Status503ServiceUnavailable);
        using var host = ServiceEndpointsTests.BuildClientHost(
            Settings(upstream.Address),
            services =>
            {
                services.AddHttpClient("upstream").WithServiceBaseAddress("upstream").ConfigureResilience(o => o.MaxRetries = 0);
            });

        using var response = await Client(host).GetAsync("flaky", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, upstream.Attempts);
    }

    private static HttpClient Client(IHost host) => host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("upstream");

    private static IHost ClientHost(Uri upstream, AttemptCounter? attempts = null, Dictionary<string, string?>? settings = null)
    {
        var all = Settings(upstream);
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        return ServiceEndpointsTests.BuildClientHost(all, services =>
        {
            var client = services.AddHttpClient("upstream").WithServiceBaseAddress("upstream");
            if (attempts is not null)
            {
                client.AddHttpMessageHandler(() => new CountingHandler(attempts));
            }
        });
    }

    private static Dictionary<string, string?> Settings(Uri upstream) => new()
    {
        ["services:upstream:http:0"] = upstream.ToString(),
        ["Evergreen:Http:RetryDelay"] = "0.01",
    };

    private sealed class AttemptCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }

    /// <summary>Added per client, so it sits inside the resilience handler and sees every attempt.</summary>
    private sealed class CountingHandler(AttemptCounter attempts) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            attempts.Increment();
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Answers <c>/flaky</c> with a failure status for the first N requests, then 200, counting them all.</summary>
    private sealed class FlakyUpstream : IAsyncDisposable
    {
        private readonly TestApp _app;
        private readonly Counter _attempts;

        private FlakyUpstream(TestApp app, Counter attempts)
        {
            _app = app;
            _attempts = attempts;
        }

        public Uri Address => _app.Address;

        public int Attempts => _attempts.Value;

        public static async Task<FlakyUpstream> StartAsync(int failures, int status)
        {
            var attempts = new Counter();
            var app = await TestApp.StartAsync(serviceDefaults: false, map: app => app.Map(
                "/flaky",
                () => attempts.Next() <= failures ? Results.StatusCode(status) : Results.Text("ok")));
            return new FlakyUpstream(app, attempts);
        }

        public ValueTask DisposeAsync() => _app.DisposeAsync();

        private sealed class Counter
        {
            private int _value;

            public int Value => Volatile.Read(ref _value);

            public int Next() => Interlocked.Increment(ref _value);
        }
    }
}
