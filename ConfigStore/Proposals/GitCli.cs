using System.Diagnostics;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Runs the <c>git</c> command line (installed on every machine by eng/prerequisites) for what LibGit2Sharp cannot do
/// safely here: a patch. LibGit2Sharp 0.29 passes <c>git_diff_options</c> laid out for libgit2 1.7, whose
/// <c>oid_type</c> field libgit2 1.5 lacks (../shared/DEPENDENCIES.md), so its diff options would be misread.
/// The machine's and the user's git configuration are ignored, so the output is the same everywhere.
/// </summary>
internal static class GitCli
{
    public static async Task<string> RunAsync(string gitDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--git-dir={gitDirectory}");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["LC_ALL"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("git could not be started. Install it: apt-get install -y git");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0
                ? await output
                : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {(await error).Trim()}");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>The unified diff between two commits of the repository, as <c>git diff</c> prints it.</summary>
    public static Task<string> DiffAsync(string gitDirectory, string from, string to, CancellationToken cancellationToken) =>
        RunAsync(gitDirectory, ["diff", "--no-color", "--no-ext-diff", "--no-renames", from, to, "--"], cancellationToken);
}
