using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Evergreen.AppHost.Hosting.Git;

/// <summary>
/// Runs the <c>git</c> command-line tool with a fixed identity and a configuration that does not depend on the
/// machine: every commit is made by <see cref="IdentityName"/> &lt;<see cref="IdentityEmail"/>&gt;, new repositories
/// start on <c>main</c>, git never prompts, and the user's and system's git configuration are ignored.
/// </summary>
/// <remarks>
/// Arguments are passed as an argument list, never through a shell, so no value needs quoting.
/// The methods are thread safe; each call starts its own process.
/// </remarks>
public static class GitCommand
{
    /// <summary>Author and committer name of every commit made through this class.</summary>
    public const string IdentityName = "Evergreen AppHost";

    /// <summary>Author and committer e-mail of every commit made through this class.</summary>
    public const string IdentityEmail = "apphost@evergreen.local";

    /// <summary>The message of the <see cref="HostingException"/> thrown when the git binary cannot be found.</summary>
    public const string GitNotFoundMessage =
        "git was not found on PATH. Install it: apt-get install -y git (or run ./eng/run, which installs what is missing)";

    private const int ErrnoNoSuchFile = 2;

    private static readonly string[] FixedOptions =
    [
        "-c", $"user.name={IdentityName}",
        "-c", $"user.email={IdentityEmail}",
        "-c", "init.defaultBranch=main",
    ];

    /// <summary>
    /// Runs git and returns its exit code and output, whatever the exit code.
    /// </summary>
    /// <param name="workingDirectory">The directory git runs in; <see langword="null"/> means the current directory.</param>
    /// <param name="arguments">The arguments after <c>git</c>, one item per argument.</param>
    /// <param name="ct">Cancels the call and kills the git process.</param>
    /// <exception cref="HostingException">git cannot be started (not installed, not on PATH).</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="workingDirectory"/> does not exist.</exception>
    public static async Task<GitResult> RunAsync(string? workingDirectory, IEnumerable<string> arguments, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ct.ThrowIfCancellationRequested();
        // Process.Start reports a missing working directory with the same error as a missing binary; tell them apart.
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
        {
            throw new DirectoryNotFoundException($"The git working directory '{workingDirectory}' does not exist.");
        }

        var startInfo = CreateStartInfo(workingDirectory, arguments);
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new HostingException(ex.NativeErrorCode == ErrnoNoSuchFile ? GitNotFoundMessage : $"git could not be started ({ex.Message}).", ex);
        }

        // Nothing is ever typed into git: a closed stdin turns any unexpected prompt into a failure, not a hang.
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            KillQuietly(process);
            throw;
        }

        return new GitResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Runs git and returns its standard output with the trailing newline removed.
    /// </summary>
    /// <param name="workingDirectory">The directory git runs in; <see langword="null"/> means the current directory.</param>
    /// <param name="arguments">The arguments after <c>git</c>, one item per argument.</param>
    /// <param name="ct">Cancels the call and kills the git process.</param>
    /// <exception cref="HostingException">git cannot be started, or exits with a code other than 0 (the message quotes git's error).</exception>
    public static async Task<string> RunCheckedAsync(string? workingDirectory, IEnumerable<string> arguments, CancellationToken ct)
    {
        var argumentList = arguments.ToArray();
        var result = await RunAsync(workingDirectory, argumentList, ct);
        return result.Succeeded
            ? result.StandardOutput.TrimEnd('\n', '\r')
            : throw new HostingException($"git {string.Join(' ', argumentList)} failed with exit code {result.ExitCode}: {result.ErrorSummary}");
    }

    private static ProcessStartInfo CreateStartInfo(string? workingDirectory, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory ?? "",
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var option in FixedOptions)
        {
            startInfo.ArgumentList.Add(option);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // An inherited GIT_DIR or GIT_AUTHOR_NAME (set when running inside a git hook, or by a developer) would point
        // git at another repository or override the fixed identity; only tracing survives, for debugging.
        foreach (var name in startInfo.Environment.Keys.Where(IsInheritedGitVariable).ToArray())
        {
            startInfo.Environment.Remove(name);
        }

        startInfo.Environment["GIT_TERMINAL_PROMPT"] = "0";
        // A developer's ~/.gitconfig (commit signing, hooksPath, templates) must not change what the AppHost writes.
        startInfo.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        startInfo.Environment["GIT_CONFIG_GLOBAL"] = OperatingSystem.IsWindows() ? "NUL" : "/dev/null";
        return startInfo;
    }

    private static bool IsInheritedGitVariable(string name) =>
        name.StartsWith("GIT_", StringComparison.Ordinal) && !name.StartsWith("GIT_TRACE", StringComparison.Ordinal);

    private static void KillQuietly(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }
}

/// <summary>The outcome of one git invocation.</summary>
/// <param name="ExitCode">git's exit code; 0 means success.</param>
/// <param name="StandardOutput">Everything git wrote to standard output.</param>
/// <param name="StandardError">Everything git wrote to standard error.</param>
public sealed record GitResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>True when git exited with code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>git's error output on one line (lines joined with " / "), for exception messages.</summary>
    public string ErrorSummary =>
        string.Join(" / ", StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) is { Length: > 0 } summary
            ? summary
            : $"exit code {ExitCode}, no error output";
}
