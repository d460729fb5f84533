namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>Reads the process table, the way an operator checks for orphans with <c>ps</c>.</summary>
internal static class ProcessTable
{
    /// <summary>True when <paramref name="pid"/> is a live process (a zombie waiting to be reaped counts as gone).</summary>
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        if (!File.Exists(status))
        {
            return false;
        }

        try
        {
            var state = File.ReadLines(status).FirstOrDefault(line => line.StartsWith("State:", StringComparison.Ordinal));
            return state is not null && !state.Contains("zombie", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Pids of processes whose command line mentions <paramref name="fragment"/>.</summary>
    public static IReadOnlyList<int> FindByCommandLine(string fragment) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(int.Parse!)
            .Where(pid => ReadCommandLine(pid).Contains(fragment, StringComparison.Ordinal) && IsAlive(pid))];

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
