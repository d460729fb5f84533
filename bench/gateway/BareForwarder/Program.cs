using System.Net;
using Yarp.ReverseProxy.Forwarder;

// The floor under the gateway: YARP's IHttpForwarder on a slim Kestrel host, no middleware, no routing table, no health
// checks, no metrics, no telemetry; 7 of every 10 requests to the first backend, 3 to the second (the benchmark's 70/30).
// The gateway can only be slower than this, so the gap between the two rows is what the gateway's own features cost.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddHttpForwarder();
var backends = (builder.Configuration["backends"] ?? throw new InvalidOperationException("Pass --backends http://a,http://b."))
    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

var app = builder.Build();
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(5),
});
var requestConfig = new ForwarderRequestConfig { ActivityTimeout = TimeSpan.FromSeconds(100) };
var counter = 0;

app.MapGet("/health/ready", () => "ready");
app.Map("/v1/{**rest}", async (HttpContext context) =>
{
    var backend = backends[Interlocked.Increment(ref counter) % 10 < 7 ? 0 : backends.Length - 1];
    await forwarder.SendAsync(context, backend, client, requestConfig, HttpTransformer.Default);
});
app.Run();
