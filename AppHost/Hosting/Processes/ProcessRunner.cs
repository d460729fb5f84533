namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>Runs a short-lived program to completion and keeps the tail of its output for error messages.</summary>
internal static class ProcessRunner
{
    private const int LinesKept = 40;

    /// <summary>
    /// Runs <paramref name="spec"/>, passing each line to <paramref name="onOutputLine"/> as well. Cancellation stops the
    /// program (its stop signal, then SIGKILL) before the <see cref="OperationCanceledException"/> surfaces.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, Action<string, bool>? onOutputLine, CancellationToken cancellationToken)
    {
        var tail = new Queue<string>();
        await using var process = ChildProcess.Start(spec, (line, isStdErr) =>
        {
            lock (tail)
            {
                if (tail.Count == LinesKept)
                {
                    tail.Dequeue();
                }

                tail.Enqueue(line);
            }

            onOutputLine?.Invoke(line, isStdErr);
        });

        var exitCode = await process.Exited.WaitAsync(cancellationToken);
        lock (tail)
        {
            return new ProcessResult(exitCode, [.. tail]);
        }
    }
}

/// <summary>How a program ended and the last lines it wrote (stdout and stderr interleaved).</summary>
internal sealed record ProcessResult(int ExitCode, IReadOnlyList<string> Output)
{
    /// <summary>The output on one line, for a one-line error message.</summary>
    public string OutputOnOneLine => Output.Count == 0 ? "(no output)" : string.Join(" | ", Output.Select(line => line.Trim()).Where(line => line.Length > 0));
}
