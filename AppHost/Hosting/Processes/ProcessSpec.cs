using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>
/// Everything needed to start one child process with <see cref="ChildProcess.Start"/>. Immutable; one spec can start
/// any number of processes.
/// </summary>
public sealed record ProcessSpec
{
    /// <summary>The program: an absolute path, a relative path (resolved against the current directory) or a bare name looked up on PATH.</summary>
    public required string FileName { get; init; }

    /// <summary>Arguments, passed one by one with no shell quoting.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>
    /// Changes to the launcher's own environment: a value sets the variable, a null value removes it.
    /// Variables not named here are inherited.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = ReadOnlyDictionary<string, string?>.Empty;

    /// <summary>The working directory; null inherits the launcher's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>
    /// The OS user to run as when the launcher runs as root (through <c>setpriv</c>, which execs, so
    /// <see cref="ChildProcess.Id"/> is the program's own pid); HOME, USER and LOGNAME then name that user unless
    /// <see cref="Environment"/> sets them. Ignored when the launcher is not root: the process runs as the current user.
    /// </summary>
    public string? RunAsUser { get; init; }

    /// <summary>The signal that asks the program to shut down cleanly (PostgreSQL: SIGINT, a fast shutdown).</summary>
    public PosixSignal StopSignal { get; init; } = PosixSignal.SIGTERM;

    /// <summary>
    /// The command that installs <see cref="FileName"/>, shown when it is missing
    /// (<c>apt-get install -y redis-server</c>); null gives a generic hint.
    /// </summary>
    public string? InstallHint { get; init; }
}
