using Evergreen.AppHost.Hosting.Processes;
using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Redis;

/// <summary>A private <c>redis-server</c> on loopback, keeping its append-only file under <c>&lt;data folder&gt;/redis</c>.</summary>
public sealed class RedisResource(string name, int defaultPort) : Resource(name), IResourceWithConnectionString
{
    private RedisServer? _server;
    private int _port;

    /// <inheritdoc />
    public override string Kind => "redis";

    /// <inheritdoc />
    public override int? Port => _port;

    /// <inheritdoc />
    public string ConnectionName => Name;

    private RedisServer Server => _server ?? throw new InvalidOperationException("The server is resolved by Build().");

    /// <inheritdoc />
    public string GetConnectionString() => Server.ConnectionString;

    internal override void Resolve(ResourceResolutionContext context)
    {
        _port = context.AllocatePort(Name, defaultPort);
        var dataDirectory = Path.Combine(context.DataFolder, "redis");
        Directory.CreateDirectory(dataDirectory);
        _server = new RedisServer(new RedisServerOptions { Port = _port, DataDirectory = dataDirectory });
    }

    internal override Task PrepareAsync(CancellationToken cancellationToken)
    {
        Network.PortAvailability.EnsureFree(_port, Name, $"--Ports:{Name}=<port>");
        return Task.CompletedTask;
    }

    internal override ProcessSpec CreateProcessSpec() => Server.CreateProcessSpec();

    internal override async Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken) =>
        await Server.IsHealthyAsync(cancellationToken) ? HealthProbeResult.Ok : HealthProbeResult.Unhealthy("no PONG yet");
}
