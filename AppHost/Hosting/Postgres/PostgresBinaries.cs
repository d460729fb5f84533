using System.Globalization;
using System.Text.RegularExpressions;
using Evergreen.AppHost.Hosting.Processes;

namespace Evergreen.AppHost.Hosting.Postgres;

/// <summary>The PostgreSQL server programs this launcher runs.</summary>
internal sealed partial record PostgresBinaries(string Initdb, string Postgres)
{
    private const string DebianRoot = "/usr/lib/postgresql";

    private const string MissingMessage =
        "PostgreSQL server binaries (initdb, postgres) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
        "Install them: apt-get install -y postgresql (or run ./eng/run, which installs what is missing).";

    /// <summary>Finds the programs in <paramref name="binDirectory"/>, or, when null, in the newest Debian folder, else on PATH.</summary>
    /// <exception cref="HostingException">They are not there.</exception>
    public static PostgresBinaries Locate(string? binDirectory)
    {
        if (binDirectory is not null)
        {
            return InFolder(binDirectory) ?? throw new HostingException(
                $"PostgreSQL server binaries (initdb, postgres) were not found in '{binDirectory}' (BinDirectory). Point BinDirectory at the folder that holds them, or leave it unset to find them automatically.");
        }

        var debianFolders = Directory.Exists(DebianRoot)
            ? Directory.EnumerateDirectories(DebianRoot)
                .Select(folder => (Folder: folder, Version: ParseVersion(Path.GetFileName(folder))))
                .Where(candidate => candidate.Version is not null)
                .OrderByDescending(candidate => candidate.Version)
                .Select(candidate => Path.Combine(candidate.Folder, "bin"))
            : [];

        foreach (var folder in debianFolders)
        {
            if (InFolder(folder) is { } found)
            {
                return found;
            }
        }

        return ExecutableLocator.Find("initdb") is { } initdb && ExecutableLocator.Find("postgres") is { } postgres
            ? new PostgresBinaries(initdb, postgres)
            : throw new HostingException(MissingMessage);
    }

    /// <summary>
    /// The major version the way <c>PG_VERSION</c> spells it ("15", or "9.6" before PostgreSQL 10), read from
    /// <c>postgres --version</c>, which works as root.
    /// </summary>
    public async Task<string> GetMajorVersionAsync(CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec { FileName = Postgres, Arguments = ["--version"] }, onOutputLine: null, cancellationToken);
        var text = string.Join(' ', result.Output);
        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            throw new HostingException($"'{Postgres} --version' printed '{text}', which names no PostgreSQL version. Reinstall PostgreSQL: apt-get install --reinstall -y postgresql.");
        }

        var major = int.Parse(match.Groups["major"].Value, CultureInfo.InvariantCulture);
        return major >= 10 ? match.Groups["major"].Value : $"{match.Groups["major"].Value}.{match.Groups["minor"].Value}";
    }

    private static PostgresBinaries? InFolder(string folder) =>
        ExecutableLocator.Find(Path.Combine(folder, "initdb")) is { } initdb && ExecutableLocator.Find(Path.Combine(folder, "postgres")) is { } postgres
            ? new PostgresBinaries(initdb, postgres)
            : null;

    private static Version? ParseVersion(string folderName) =>
        Version.TryParse(folderName.Contains('.', StringComparison.Ordinal) ? folderName : folderName + ".0", out var version) ? version : null;

    [GeneratedRegex(@"\(PostgreSQL\) (?<major>\d+)(\.(?<minor>\d+))?")]
    private static partial Regex VersionPattern();
}
