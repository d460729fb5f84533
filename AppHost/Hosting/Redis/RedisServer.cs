using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Processes;

namespace Evergreen.AppHost.Hosting.Redis;

/// <summary>
/// A private Redis server for development and tests, run in the foreground under a supervisor
/// (<see cref="CreateProcessSpec"/> with <see cref="ChildProcess"/>), loopback only, no password.
/// </summary>
/// <remarks>Thread-safe. This type starts no process itself: the caller runs the spec and owns the process.</remarks>
public sealed class RedisServer
{
    private static readonly byte[] Ping = "PING\r\n"u8.ToArray();
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Describes a server; nothing is touched until <see cref="CreateProcessSpec"/>.</summary>
    public RedisServer(RedisServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        Options = options;
    }

    /// <summary>The options this server was created with.</summary>
    public RedisServerOptions Options { get; }

    /// <summary>The StackExchange.Redis configuration string: <c>host:port</c>, e.g. <c>127.0.0.1:6380</c>.</summary>
    public string ConnectionString => $"{Options.Host}:{Options.Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// The command that runs the server in the foreground: <c>redis-server --port … --bind … --protected-mode yes --daemonize no</c>,
    /// with an append-only file in <see cref="RedisServerOptions.DataDirectory"/> (created here when missing) or no
    /// persistence at all. Stopped with SIGTERM, on which Redis flushes the append-only file.
    /// </summary>
    public ProcessSpec CreateProcessSpec()
    {
        List<string> arguments =
        [
            "--port", Options.Port.ToString(CultureInfo.InvariantCulture),
            "--bind", Options.Host,
            "--protected-mode", "yes",
            "--daemonize", "no",
            "--supervised", "no",
        ];

        string? dataDirectory = null;
        if (Options.DataDirectory is not null)
        {
            dataDirectory = Path.GetFullPath(Options.DataDirectory);
            Directory.CreateDirectory(dataDirectory);
            arguments.AddRange(["--dir", dataDirectory, "--appendonly", "yes"]);
        }
        else
        {
            arguments.AddRange(["--save", string.Empty, "--appendonly", "no"]);
        }

        return new ProcessSpec
        {
            FileName = "redis-server",
            Arguments = arguments,
            WorkingDirectory = dataDirectory,
            StopSignal = PosixSignal.SIGTERM,
            InstallHint = "apt-get install -y redis-server",
        };
    }

    /// <summary>Polls every 100 ms until the server answers PING with PONG; only <paramref name="cancellationToken"/> ends the wait early.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => ReadinessPolling.WaitAsync(ProbeAsync, cancellationToken);

    /// <summary>Like <see cref="WaitUntilReadyAsync(CancellationToken)"/>, but gives up after <paramref name="timeout"/>.</summary>
    /// <exception cref="HostingException">The server did not answer in time; the message carries the last error.</exception>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadinessPolling.WaitAsync(ProbeAsync, timeout, lastError =>
            $"Redis on {ConnectionString} did not answer PING within {timeout.TotalSeconds:0} s (last error: {lastError}). Look at its output for the cause.", cancellationToken);

    /// <summary>True when the server answers PING with PONG now (not while it is still loading its data).</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => await ProbeAsync(cancellationToken) is null;

    // Null when healthy; otherwise why not. Speaks just enough RESP: an inline PING and the first reply line.
    private async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(ProbeTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Options.Host, Options.Port, attempt.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Ping, attempt.Token);
            var buffer = new byte[256];
            var length = 0;
            while (length < buffer.Length && !buffer.AsSpan(0, length).Contains((byte)'\n'))
            {
                var read = await stream.ReadAsync(buffer.AsMemory(length), attempt.Token);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            var reply = Encoding.ASCII.GetString(buffer, 0, length).TrimEnd();
            return reply.StartsWith("+PONG", StringComparison.Ordinal) ? null : $"PING was answered with '{reply}'";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"no answer to PING within {ProbeTimeout.TotalSeconds:0} s";
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return ex.Message;
        }
    }
}
