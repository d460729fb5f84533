namespace Evergreen.AppHost.Hosting.Redis;

/// <summary>How a private, loopback-only Redis server runs. Immutable.</summary>
public sealed record RedisServerOptions
{
    /// <summary>The TCP port the server listens on.</summary>
    public required int Port { get; init; }

    /// <summary>The only address the server listens on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// Where Redis keeps its append-only file, so a restart keeps the data; created when missing.
    /// Null keeps everything in memory only: a restart starts empty.
    /// </summary>
    public string? DataDirectory { get; init; }
}
