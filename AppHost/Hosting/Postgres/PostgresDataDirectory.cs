using Evergreen.AppHost.Hosting.Processes;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>Inspects and prepares a cluster folder, and explains in one line what is wrong with it.</summary>
internal static class PostgresDataDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>True when <paramref name="directory"/> holds a cluster of <paramref name="majorVersion"/>; false when it is absent or empty.</summary>
    /// <exception cref="HostingException">It holds something else, or a cluster of another major version.</exception>
    public static bool HasCluster(string directory, string majorVersion, string postgresProgram)
    {
        if (File.Exists(directory))
        {
            throw new HostingException($"The PostgreSQL data folder '{directory}' is a file, not a folder. Move it away or delete it (rm '{directory}') and start again to create a fresh cluster.");
        }

        string clusterVersion;
        try
        {
            if (!Directory.Exists(directory) || !Directory.EnumerateFileSystemEntries(directory).Any())
            {
                return false;
            }

            clusterVersion = File.ReadAllText(Path.Combine(directory, "PG_VERSION")).Trim();
        }
        catch (FileNotFoundException)
        {
            throw NotACluster(directory, "PG_VERSION is missing");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw NotACluster(directory, $"PG_VERSION cannot be read: {ex.Message}", ex);
        }

        if (clusterVersion.Length == 0)
        {
            throw NotACluster(directory, "PG_VERSION is empty");
        }

        return clusterVersion == majorVersion ? true : throw new HostingException(
            $"The PostgreSQL data folder '{directory}' holds a PostgreSQL {clusterVersion} cluster, but the server binaries ({postgresProgram}) are PostgreSQL {majorVersion}. " +
            $"Point BinDirectory at PostgreSQL {clusterVersion} binaries, upgrade the cluster with pg_upgrade, or delete it (rm -rf '{directory}') and start again to create a fresh one.");
    }

    /// <summary>
    /// Creates <paramref name="directory"/> (mode 0700, as PostgreSQL demands) and gives it to <paramref name="owner"/>.
    /// Parents it creates get the default mode (0755 under the usual umask), so the owner can pass through them.
    /// </summary>
    public static void Prepare(string directory, UnixAccount? owner)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The PostgreSQL server wrapper runs on Linux only.");
        }

        try
        {
            if (Path.GetDirectoryName(directory) is { } parent)
            {
                Directory.CreateDirectory(parent);
            }

            Directory.CreateDirectory(directory, OwnerOnly);
            File.SetUnixFileMode(directory, OwnerOnly);
            if (owner is not null)
            {
                UnixAccounts.ChangeOwnerRecursively(directory, owner);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostingException(
                $"The PostgreSQL data folder '{directory}' could not be prepared: {ex.Message} Check the permissions of its parent folders or choose another data folder.",
                ex);
        }
    }

    /// <summary>
    /// Checks, as <paramref name="account"/>, that the folder can be reached and, for an existing cluster, that it
    /// belongs to that user; PostgreSQL would otherwise fail with a less helpful message.
    /// </summary>
    public static async Task EnsureUsableByAsync(string directory, UnixAccount account, bool checkOwnership, CancellationToken cancellationToken)
    {
        var parent = Path.GetDirectoryName(directory) ?? "/";
        if (!await TestAsAsync(account, ["-x", parent], cancellationToken))
        {
            var blocked = FirstClosedAncestor(parent);
            throw new HostingException(blocked is null
                ? $"The PostgreSQL data folder '{directory}' is out of reach of the OS user '{account.Name}' that PostgreSQL runs as (it refuses to run as root). Let that user through every parent folder (chmod o+x) or choose a data folder elsewhere."
                : $"The PostgreSQL data folder '{directory}' is out of reach of the OS user '{account.Name}' that PostgreSQL runs as (it refuses to run as root): '{blocked}' lets no other user through. Open it (chmod o+x '{blocked}') or choose a data folder elsewhere.");
        }

        if (checkOwnership && !await TestAsAsync(account, ["-O", directory], cancellationToken))
        {
            throw new HostingException(
                $"The PostgreSQL data folder '{directory}' belongs to another OS user, but PostgreSQL runs as '{account.Name}'. Give it to that user: chown -R {account.Name}: '{directory}'.");
        }
    }

    private static async Task<bool> TestAsAsync(UnixAccount account, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(
            new ProcessSpec { FileName = "test", Arguments = arguments, RunAsUser = account.Name, WorkingDirectory = "/", InstallHint = "apt-get install -y coreutils" },
            onOutputLine: null,
            cancellationToken);
        return result.ExitCode == 0;
    }

    private static string? FirstClosedAncestor(string folder)
    {
        var chain = new List<string>();
        for (var current = folder; current is not null; current = Path.GetDirectoryName(current))
        {
            chain.Add(current);
        }

        chain.Reverse();
        return chain.FirstOrDefault(ancestor => !OperatingSystem.IsWindows() && Directory.Exists(ancestor) && (File.GetUnixFileMode(ancestor) & UnixFileMode.OtherExecute) == 0);
    }

    private static HostingException NotACluster(string directory, string cause, Exception? inner = null) => new(
        $"The PostgreSQL data folder '{directory}' is not a PostgreSQL cluster ({cause}). Move it away or delete it (rm -rf '{directory}') and start again to create a fresh one.",
        inner);
}
