namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>Finds programs the way a shell does, so a missing one is reported before anything starts.</summary>
internal static class ExecutableLocator
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path of <paramref name="fileName"/> (a path, or a bare name looked up on PATH); null when there is no such executable file.</summary>
    public static string? Find(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var fullPath = Path.GetFullPath(fileName);
            return IsExecutableFile(fullPath) ? fullPath : null;
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, fileName);
            if (IsExecutableFile(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Like <see cref="Find"/>, but throws <see cref="ProcessStartFailedException"/> with <paramref name="installHint"/> when missing.</summary>
    public static string Resolve(string fileName, string? installHint)
    {
        if (Find(fileName) is { } path)
        {
            return path;
        }

        var fix = installHint is null ? "Install it or add its folder to PATH." : $"Install it: {installHint}";
        var cause = fileName.Contains('/', StringComparison.Ordinal)
            ? $"'{fileName}' does not exist or is not executable."
            : $"'{fileName}' was not found on PATH.";
        throw new ProcessStartFailedException($"{cause} {fix}");
    }

    private static bool IsExecutableFile(string path) =>
        !OperatingSystem.IsWindows() && File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
