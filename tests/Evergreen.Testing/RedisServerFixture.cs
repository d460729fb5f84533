using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Redis;
using Xunit;

namespace Evergreen.Testing;

/// <summary>
/// A real Redis server for tests, on a free port, with its append-only file in a temporary folder so a restart keeps
/// the data. Use it as an assembly or class fixture, or own one in a test.
/// </summary>
/// <remarks>
/// Thread-safe. <see cref="StopAsync"/>, <see cref="StartAsync"/> and <see cref="RestartAsync"/> affect every test that
/// shares the instance: fault tests should own a private one. Tests sharing one server should use distinct keys.
/// Disposing stops the server (SIGTERM, 10 s grace, then SIGKILL) and deletes the folder.
/// </remarks>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    private string? _root;
    private RedisServer? _server;
    private ServerProcessHost? _host;

    /// <summary>The server; valid after <see cref="InitializeAsync"/>.</summary>
    public RedisServer Server => _server ?? throw new InvalidOperationException($"Call {nameof(InitializeAsync)} first.");

    /// <summary>The StackExchange.Redis configuration string, <c>127.0.0.1:&lt;port&gt;</c>; it stays the same across restarts.</summary>
    public string ConnectionString => Server.ConnectionString;

    /// <summary>The port the server listens on (on 127.0.0.1).</summary>
    public int Port => Server.Options.Port;

    /// <summary>The last lines Redis wrote, for diagnosing a failing test.</summary>
    public IReadOnlyList<string> RecentOutput => _host?.RecentOutput ?? [];

    /// <summary>The pid of the running server, or null while it is stopped.</summary>
    public int? ProcessId => _host?.ProcessId;

    /// <summary>Starts the server and waits until it answers PING (bounded: 30 s).</summary>
    public async ValueTask InitializeAsync()
    {
        try
        {
            _root = TemporaryDirectory.Create("evergreen-redis-", passableByOtherUsers: false);
            _server = new RedisServer(new RedisServerOptions
            {
                Port = PortAvailability.GetFreePort(),
                DataDirectory = Path.Combine(_root, "data"),
            });
            _host = new ServerProcessHost("Redis", _server.CreateProcessSpec, _server.WaitUntilReadyAsync, StopGrace);
            await _host.StartAsync(StartTimeout, TestContext.Current.CancellationToken);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (SIGTERM; Redis flushes its append-only file). True when it stopped within the 10 s grace period.</summary>
    public Task<bool> StopAsync(CancellationToken cancellationToken = default) =>
        Host.StopAsync(cancellationToken).DefaultTimeout(StartTimeout);

    /// <summary>Starts the server again on the same port and folder and waits until it answers PING.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) =>
        Host.StartAsync(StartTimeout, cancellationToken).DefaultTimeout(StartTimeout + StopGrace);

    /// <summary>Stops and starts the server; data survives, connections do not.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken);
        await StartAsync(cancellationToken);
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync().DefaultTimeout(StartTimeout);
        }

        if (_root is not null)
        {
            TemporaryDirectory.DeleteQuietly(_root);
        }
    }

    private ServerProcessHost Host => _host ?? throw new InvalidOperationException($"Call {nameof(InitializeAsync)} first.");
}
