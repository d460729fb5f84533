using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using Evergreen.AppHost.Hosting.Processes;
using Evergreen.Testing;
using Xunit;

namespace Evergreen.AppHost.Tests.Hosting;

// AppHost runs on Linux only (signals, setpriv).
[SupportedOSPlatform("linux")]
public sealed class ChildProcessTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StopAsync_ProcessHonoursStopSignal_ExitsWithinGrace()
    {
        await using var process = ChildProcess.Start(new ProcessSpec { FileName = "sleep", Arguments = ["30"] });
        var stopwatch = Stopwatch.StartNew();

        var graceful = await process.StopAsync(TimeSpan.FromSeconds(10), Token).DefaultTimeout();

        Assert.True(graceful);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
        Assert.True(process.HasExited);
        Assert.Equal(128 + 15, await process.Exited.DefaultTimeout());
    }

    [Fact]
    public async Task StopAsync_ProcessIgnoresStopSignal_KilledAfterGrace()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var process = ChildProcess.Start(
            new ProcessSpec { FileName = "sh", Arguments = ["-c", "trap '' TERM; echo ready; sleep 30"] },
            (line, _) =>
            {
                if (line == "ready")
                {
                    ready.TrySetResult();
                }
            });
        await ready.Task.DefaultTimeout();
        var stopwatch = Stopwatch.StartNew();

        var graceful = await process.StopAsync(TimeSpan.FromMilliseconds(500), Token).DefaultTimeout();

        Assert.False(graceful);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(10));
        Assert.Equal(128 + 9, await process.Exited.DefaultTimeout());
    }

    [Fact]
    public async Task StopAsync_CalledConcurrentlyAndAfterExit_AllCallersSeeTheSameStop()
    {
        await using var process = ChildProcess.Start(new ProcessSpec { FileName = "sleep", Arguments = ["30"] });

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => process.StopAsync(TimeSpan.FromSeconds(10), Token))).DefaultTimeout();
        var later = await process.StopAsync(TimeSpan.Zero, Token).DefaultTimeout();

        Assert.All(results, Assert.True);
        Assert.True(later);
    }

    [Fact]
    public async Task Start_ProgramWritesToBothStreams_EveryLineDeliveredBeforeExited()
    {
        var lines = new ConcurrentQueue<(string Line, bool IsStdErr)>();
        await using var process = ChildProcess.Start(
            new ProcessSpec { FileName = "sh", Arguments = ["-c", "echo out1; echo err1 >&2; echo out2; exit 3"] },
            (line, isStdErr) => lines.Enqueue((line, isStdErr)));

        var exitCode = await process.Exited.DefaultTimeout();

        Assert.Equal(3, exitCode);
        Assert.Equal([("out1", false), ("out2", false)], lines.Where(l => !l.IsStdErr));
        Assert.Equal([("err1", true)], lines.Where(l => l.IsStdErr));
    }

    [Fact]
    public async Task Start_ProgramReadsStandardInput_SeesEndOfInputInsteadOfTheTerminal()
    {
        await using var process = ChildProcess.Start(new ProcessSpec { FileName = "cat" });

        Assert.Equal(0, await process.Exited.DefaultTimeout());
    }

    [Fact]
    public async Task Start_EnvironmentChanges_AreSetAndRemoved()
    {
        var lines = new ConcurrentQueue<string>();
        await using var process = ChildProcess.Start(
            new ProcessSpec
            {
                FileName = "sh",
                Arguments = ["-c", "echo \"$EVERGREEN_TEST_VALUE|${EVERGREEN_TEST_REMOVED-unset}\""],
                Environment = new Dictionary<string, string?> { ["EVERGREEN_TEST_VALUE"] = "set", ["EVERGREEN_TEST_REMOVED"] = null },
            },
            (line, _) => lines.Enqueue(line));

        await process.Exited.DefaultTimeout();

        Assert.Equal(["set|unset"], lines);
    }

    [Fact]
    public void Start_MissingProgram_ThrowsWithTheInstallHint()
    {
        var error = Assert.Throws<ProcessStartFailedException>(() => ChildProcess.Start(
            new ProcessSpec { FileName = "evergreen-no-such-program", InstallHint = "apt-get install -y evergreen-tools" }));

        Assert.Equal("'evergreen-no-such-program' was not found on PATH. Install it: apt-get install -y evergreen-tools", error.Message);
    }

    [Fact]
    public async Task Start_RunAsUserWhenRoot_ProgramRunsAsThatUserWithItsOwnPid()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "Switching users needs root.");
        var lines = new ConcurrentQueue<string>();
        await using var process = ChildProcess.Start(
            new ProcessSpec { FileName = "sh", Arguments = ["-c", "echo \"$(id -un) $$\""], RunAsUser = "postgres", WorkingDirectory = "/" },
            (line, _) => lines.Enqueue(line));

        await process.Exited.DefaultTimeout();

        Assert.Equal([$"postgres {process.Id}"], lines);
    }
}
