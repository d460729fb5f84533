using System.Collections.ObjectModel;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>Where and how a private, loopback-only PostgreSQL cluster lives. Immutable.</summary>
public sealed record PostgresServerOptions
{
    /// <summary>The cluster folder (PGDATA). Created with <c>initdb</c> when absent or empty.</summary>
    /// <remarks>
    /// When the launcher runs as root the server runs as <see cref="OsUser"/>, so every parent folder must let that
    /// user through (<c>chmod o+x</c>). <c>Directory.CreateTempSubdirectory</c> makes 0700 folders: open them up first.
    /// </remarks>
    public required string DataDirectory { get; init; }

    /// <summary>The TCP port the server listens on.</summary>
    public required int Port { get; init; }

    /// <summary>The only address the server listens on. Keep it a loopback address: the cluster trusts every local connection.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The folder holding <c>initdb</c> and <c>postgres</c>; null picks the newest <c>/usr/lib/postgresql/*/bin</c>, else PATH.</summary>
    public string? BinDirectory { get; init; }

    /// <summary>The database superuser created by <c>initdb</c> and used in connection strings.</summary>
    public string Superuser { get; init; } = "postgres";

    /// <summary>
    /// A password to put in connection strings, for clients that insist on one; null leaves it out. The cluster itself
    /// does not check it (trust authentication on loopback, see <see cref="PostgresServer"/>).
    /// </summary>
    public string? Password { get; init; }

    /// <summary>
    /// The OS user the server runs as when the launcher is root (PostgreSQL refuses to run as root); null means
    /// <c>postgres</c>. Ignored when the launcher is not root: the server runs as the current user.
    /// </summary>
    public string? OsUser { get; init; }

    /// <summary>Server settings passed as <c>-c name=value</c> after the defaults, so they win (e.g. <c>max_connections</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = ReadOnlyDictionary<string, string>.Empty;
}
