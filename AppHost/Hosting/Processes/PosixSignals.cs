using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>Sends signals with libc's <c>kill</c>; .NET can only send SIGKILL (<c>Process.Kill</c>). Linux signal numbers.</summary>
internal static class PosixSignals
{
    private const int NoSuchProcess = 3; // ESRCH
    private const int NotPermitted = 1; // EPERM

    /// <summary>SIGKILL, which <see cref="PosixSignal"/> does not name: it cannot be handled, so .NET has no member for it.</summary>
    public static readonly PosixSignal SigKill = (PosixSignal)9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false when no such process exists (any more).</summary>
    public static bool TrySend(int pid, PosixSignal signal)
    {
        if (kill(pid, ToNumber(signal)) == 0)
        {
            return true;
        }

        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess ? false : throw new Win32Exception(error);
    }

    /// <summary>True when a process with this pid exists, whoever owns it (signal 0 only checks).</summary>
    public static bool Exists(int pid) => pid > 0 && (kill(pid, 0) == 0 || Marshal.GetLastPInvokeError() == NotPermitted);

    /// <summary>The Linux number of a signal: SIGHUP, SIGINT, SIGQUIT, SIGTERM, or a raw number (positive), as <see cref="PosixSignal"/> allows.</summary>
    public static int ToNumber(PosixSignal signal) => signal switch
    {
        PosixSignal.SIGHUP => 1,
        PosixSignal.SIGINT => 2,
        PosixSignal.SIGQUIT => 3,
        PosixSignal.SIGTERM => 15,
        _ when (int)signal > 0 => (int)signal,
        _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, "Unknown signal."),
    };

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
