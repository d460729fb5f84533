using System.Diagnostics;
using System.Text;

namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>Turns a <see cref="ProcessSpec"/> into a <see cref="ProcessStartInfo"/>, failing early with a clear message.</summary>
internal static class ProcessLaunch
{
    public static ProcessStartInfo CreateStartInfo(ProcessSpec spec)
    {
        var program = ExecutableLocator.Resolve(spec.FileName, spec.InstallHint);
        if (spec.WorkingDirectory is { } workingDirectory && !Directory.Exists(workingDirectory))
        {
            throw new ProcessStartFailedException($"The working directory '{workingDirectory}' for '{spec.FileName}' does not exist. Create it or fix the path.");
        }

        var account = spec.RunAsUser is { } user && UnixAccounts.IsRoot
            ? UnixAccounts.Find(user) ?? throw new ProcessStartFailedException(
                $"The OS user '{user}' to run '{spec.FileName}' as does not exist. Create it (useradd --system '{user}') or run the launcher as a user that may start it.")
            : null;

        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = spec.WorkingDirectory ?? string.Empty,
        };

        // setsid puts the child in a session of its own, so Ctrl+C in the launcher's terminal (SIGINT to the whole
        // foreground process group) reaches only the launcher, which then stops the children in dependency order.
        // A child of Process.Start is never a process-group leader, so setsid execs in place and the pid is kept.
        startInfo.FileName = ExecutableLocator.Resolve("setsid", "apt-get install -y util-linux");
        if (account is null)
        {
            startInfo.ArgumentList.Add(program);
        }
        else
        {
            // setpriv execs the program after switching user, so the pid we hold is the program's own and signals reach it.
            startInfo.ArgumentList.Add(ExecutableLocator.Resolve("setpriv", "apt-get install -y util-linux"));
            startInfo.ArgumentList.Add($"--reuid={account.UserId}");
            startInfo.ArgumentList.Add($"--regid={account.GroupId}");
            startInfo.ArgumentList.Add("--init-groups");
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(program);
            startInfo.Environment["HOME"] = account.HomeDirectory;
            startInfo.Environment["USER"] = account.Name;
            startInfo.Environment["LOGNAME"] = account.Name;
        }

        foreach (var argument in spec.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        return startInfo;
    }
}
