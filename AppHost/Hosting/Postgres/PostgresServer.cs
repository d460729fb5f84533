using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.AppHost.Hosting.Processes;
using Npgsql;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>
/// A private PostgreSQL cluster for development and tests: created with <c>initdb</c> on first use, run in the
/// foreground under a supervisor (<see cref="CreateProcessSpec"/> with <see cref="ChildProcess"/>), loopback only.
/// </summary>
/// <remarks>
/// <para>
/// Authentication is <c>trust</c> (<c>initdb --auth=trust</c>): the server listens on <see cref="PostgresServerOptions.Host"/>
/// (loopback) only and its Unix socket lives in the data folder, which only the server's OS user can enter. It is a
/// throw-away cluster for one developer or one test run, so no password needs to be generated, stored or leaked.
/// Never point it at a non-loopback address.
/// </para>
/// <para>
/// Thread-safe. This type starts no long-running process itself: the caller runs the spec and owns the process.
/// Call <see cref="InitializeAsync(CancellationToken)"/> once before the first start.
/// </para>
/// </remarks>
public sealed class PostgresServer
{
    private const string AdminDatabase = "postgres";

    // sockaddr_un.sun_path holds 108 bytes including the terminating NUL.
    private const int MaxSocketPathBytes = 107;

    private readonly Lazy<PostgresBinaries> _binaries;
    private readonly PostgresAdmin _admin;

    /// <summary>Describes a cluster; nothing is touched until <see cref="InitializeAsync(CancellationToken)"/>.</summary>
    public PostgresServer(PostgresServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DataDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535);
        Options = options;
        DataDirectory = Path.GetFullPath(options.DataDirectory);
        OsUser = UnixAccounts.IsRoot ? options.OsUser ?? "postgres" : null;
        // PublicationOnly: a failed look-up is not cached, so installing PostgreSQL while the launcher runs helps.
        _binaries = new Lazy<PostgresBinaries>(() => PostgresBinaries.Locate(options.BinDirectory), LazyThreadSafetyMode.PublicationOnly);
        _admin = new PostgresAdmin(GetConnectionString(AdminDatabase));
    }

    /// <summary>The options this server was created with.</summary>
    public PostgresServerOptions Options { get; }

    /// <summary>The absolute path of the cluster folder.</summary>
    public string DataDirectory { get; }

    /// <summary>The OS user the server runs as; null when it runs as the launcher's own user (the launcher is not root).</summary>
    public string? OsUser { get; }

    /// <summary>Creates the cluster when the data folder is absent or empty; checks an existing one. See <see cref="InitializeAsync(Action{string, bool}?, CancellationToken)"/>.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => InitializeAsync(onOutputLine: null, cancellationToken);

    /// <summary>
    /// Creates the cluster (<c>initdb</c>, as <see cref="OsUser"/> when root) when the data folder is absent or empty,
    /// passing initdb's output lines to <paramref name="onOutputLine"/>; checks an existing cluster otherwise.
    /// Not meant to run concurrently with itself or with a running server on the same folder.
    /// </summary>
    /// <exception cref="HostingException">
    /// Binaries missing, the folder holds something that is not a cluster of this PostgreSQL version, is out of reach
    /// of the server's OS user, or initdb failed. The message names the fix.
    /// </exception>
    public async Task InitializeAsync(Action<string, bool>? onOutputLine, CancellationToken cancellationToken)
    {
        var binaries = _binaries.Value;
        var account = OsUser is null ? null : UnixAccounts.Find(OsUser) ?? throw new HostingException(
            $"PostgreSQL refuses to run as root, and the OS user '{OsUser}' to run it as does not exist. Install PostgreSQL (apt-get install -y postgresql creates the user 'postgres') or create it: useradd --system '{OsUser}'.");
        var majorVersion = await binaries.GetMajorVersionAsync(cancellationToken);

        if (PostgresDataDirectory.HasCluster(DataDirectory, majorVersion, binaries.Postgres))
        {
            if (account is not null)
            {
                await PostgresDataDirectory.EnsureUsableByAsync(DataDirectory, account, checkOwnership: true, cancellationToken);
            }

            return;
        }

        PostgresDataDirectory.Prepare(DataDirectory, account);
        if (account is not null)
        {
            await PostgresDataDirectory.EnsureUsableByAsync(DataDirectory, account, checkOwnership: false, cancellationToken);
        }

        var result = await ProcessRunner.RunAsync(
            new ProcessSpec
            {
                FileName = binaries.Initdb,
                Arguments = ["-D", DataDirectory, "-U", Options.Superuser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-instructions"],
                WorkingDirectory = DataDirectory,
                RunAsUser = OsUser,
                // initdb removes what it created when interrupted, so a cancelled start leaves no half-made cluster.
                StopSignal = PosixSignal.SIGINT,
            },
            onOutputLine,
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new HostingException(
                $"initdb could not create a PostgreSQL cluster in '{DataDirectory}' (exit code {result.ExitCode}): {result.OutputOnOneLine}. Fix the cause above, delete the folder (rm -rf '{DataDirectory}') and start again.");
        }
    }

    /// <summary>
    /// The command that runs the server in the foreground as the supervised child: <c>postgres -D … -p … -c …</c>,
    /// stopped with SIGINT (fast shutdown: sessions are ended, the cluster is left consistent).
    /// </summary>
    /// <exception cref="HostingException">The binaries are missing.</exception>
    public ProcessSpec CreateProcessSpec()
    {
        var socketPath = Path.Combine(DataDirectory, $".s.PGSQL.{Options.Port}");
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["listen_addresses"] = Options.Host,
            // The socket lives in the 0700 data folder; a path too long for a socket would stop the server, and TCP is all clients here use.
            ["unix_socket_directories"] = Encoding.UTF8.GetByteCount(socketPath) <= MaxSocketPathBytes ? DataDirectory : string.Empty,
            ["logging_collector"] = "off",
            ["log_destination"] = "stderr",
            ["fsync"] = "on",
            // Sized for a 2-core developer machine running several services, each with its own connection pool.
            ["max_connections"] = "200",
            ["shared_buffers"] = "128MB",
        };
        foreach (var (name, value) in Options.Settings)
        {
            settings[name] = value;
        }

        List<string> arguments = ["-D", DataDirectory, "-p", Options.Port.ToString(CultureInfo.InvariantCulture)];
        foreach (var (name, value) in settings)
        {
            arguments.Add("-c");
            arguments.Add($"{name}={value}");
        }

        return new ProcessSpec
        {
            FileName = _binaries.Value.Postgres,
            Arguments = arguments,
            WorkingDirectory = DataDirectory,
            RunAsUser = OsUser,
            StopSignal = PosixSignal.SIGINT,
            InstallHint = "apt-get install -y postgresql",
        };
    }

    /// <summary>
    /// Throws when <see cref="PostgresServerOptions.Port"/> is taken, naming a PostgreSQL left running on this data
    /// folder when that is the cause. Call it just before starting the process.
    /// </summary>
    /// <param name="resourceName">The name shown in the message, e.g. <c>postgres</c>.</param>
    /// <param name="overrideHint">How to choose another port, e.g. <c>--Ports:postgres=&lt;port&gt;</c>.</param>
    /// <exception cref="HostingException">The port is in use.</exception>
    public void EnsurePortAvailable(string resourceName, string overrideHint)
    {
        if (PortAvailability.IsFree(Options.Port))
        {
            return;
        }

        if (ReadLeftoverPostmasterPid() is { } pid)
        {
            throw new HostingException(
                $"Port {Options.Port} for '{resourceName}' is in use by a PostgreSQL server (pid {pid}) left running on '{DataDirectory}' by an earlier run. Stop it (kill -INT {pid}) and start again.");
        }

        PortAvailability.EnsureFree(Options.Port, resourceName, overrideHint);
    }

    /// <summary>Polls every 100 ms until the server answers <c>SELECT 1</c>; only <paramref name="cancellationToken"/> ends the wait early.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken) => ReadinessPolling.WaitAsync(_admin.ProbeAsync, cancellationToken);

    /// <summary>Like <see cref="WaitUntilReadyAsync(CancellationToken)"/>, but gives up after <paramref name="timeout"/>.</summary>
    /// <exception cref="HostingException">The server did not answer in time; the message carries the last error.</exception>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        ReadinessPolling.WaitAsync(_admin.ProbeAsync, timeout, lastError =>
            $"PostgreSQL on {Options.Host}:{Options.Port} did not accept connections within {timeout.TotalSeconds:0} s (last error: {lastError}). Look at its output for the cause.", cancellationToken);

    /// <summary>True when the server answers <c>SELECT 1</c> now.</summary>
    public async Task<bool> IsHealthyAsync(CancellationToken cancellationToken) => await _admin.ProbeAsync(cancellationToken) is null;

    /// <summary>Creates database <paramref name="name"/> unless it exists. Safe to call concurrently for the same name.</summary>
    /// <exception cref="ArgumentException">The name is empty or longer than 63 bytes.</exception>
    public Task EnsureDatabaseAsync(string name, CancellationToken cancellationToken) => _admin.EnsureDatabaseAsync(name, cancellationToken);

    /// <summary>Drops database <paramref name="name"/> if it exists, ending its sessions (<c>WITH (FORCE)</c>).</summary>
    public Task DropDatabaseAsync(string name, CancellationToken cancellationToken) => _admin.DropDatabaseAsync(name, cancellationToken);

    /// <summary>An Npgsql connection string for <paramref name="database"/> as the superuser (host, port, username, database; password when set).</summary>
    public string GetConnectionString(string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Options.Host,
            Port = Options.Port,
            Username = Options.Superuser,
            Database = database,
        };
        if (Options.Password is not null)
        {
            builder.Password = Options.Password;
        }

        return builder.ConnectionString;
    }

    private int? ReadLeftoverPostmasterPid()
    {
        try
        {
            var firstLine = File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(firstLine, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && PosixSignals.Exists(pid) ? pid : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
