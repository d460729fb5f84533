using System.Globalization;
using System.Runtime.InteropServices;
using Evergreen.AppHost.Hosting.Processes;

namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>
/// Remembers, under <c>&lt;data folder&gt;/run/</c>, which process runs each resource. If the launcher itself is
/// killed (SIGKILL, a crashed terminal), its children survive it; the next start finds them here and stops them
/// instead of failing on ports they still hold. A pid is trusted only while the process's start time matches the
/// recorded one, so a recycled pid is never signalled.
/// </summary>
internal sealed class ProcessRegistry(string folder)
{
    public void Record(string resource, int pid)
    {
        if (ReadStartTime(pid) is not { } startTime)
        {
            return;
        }

        Directory.CreateDirectory(folder);
        File.WriteAllText(PathOf(resource), $"{pid.ToString(CultureInfo.InvariantCulture)} {startTime}");
    }

    public void Forget(string resource) => File.Delete(PathOf(resource));

    /// <summary>Stops the process recorded for <paramref name="resource"/> by an earlier launcher, if it still runs. Returns its pid, or null.</summary>
    public async Task<int?> StopLeftoverAsync(string resource, PosixSignal stopSignal, TimeSpan grace, CancellationToken cancellationToken)
    {
        var path = PathOf(resource);
        if (!File.Exists(path))
        {
            return null;
        }

        var parts = (await File.ReadAllTextAsync(path, cancellationToken)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        File.Delete(path);
        if (parts.Length != 2 || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var pid) || ReadStartTime(pid) != parts[1])
        {
            return null;
        }

        PosixSignals.TrySend(pid, stopSignal);
        var deadline = DateTimeOffset.UtcNow + grace;
        while (PosixSignals.Exists(pid) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }

        if (PosixSignals.Exists(pid))
        {
            PosixSignals.TrySend(pid, (PosixSignal)9); // SIGKILL: PosixSignal has no member for it
        }

        return pid;
    }

    private string PathOf(string resource) => Path.Combine(folder, resource + ".pid");

    // Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. The command name (field 2) may hold
    // spaces, so fields are counted after its closing parenthesis.
    private static string? ReadStartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return fields.Length > 19 ? fields[19] : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
