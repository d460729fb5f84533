using System.Globalization;
using System.Net.Http.Json;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.Contracts.Hosting;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>The launcher as a user runs it: a separate process stopped with SIGTERM, or killed outright.</summary>
public sealed class AppHostProcessTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);
    private readonly string _dataFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "evergreen-process-" + Guid.NewGuid().ToString("N")[..12])).FullName;

    [Fact]
    public async Task Sigterm_RunningSystem_StopsEverythingAndLeavesNoProcess()
    {
        await using var launcher = AppHostProcess.Start("--AppHost:RandomPorts=true", $"--AppHost:DataFolder={_dataFolder}");
        var controlApi = await launcher.WaitUntilReadyAsync().DefaultTimeout(StartLimit);
        var pids = (await GetResourcesAsync(controlApi)).Where(r => r.Pid is not null).Select(r => r.Pid!.Value).ToList();
        Assert.Equal(7, pids.Count);

        var exitedByItself = await launcher.StopGracefullyAsync(TimeSpan.FromMinutes(2)).DefaultTimeout(TimeSpan.FromMinutes(3));

        Assert.True(exitedByItself, "the launcher stops within the grace period");
        Assert.Equal(0, await launcher.Exited.DefaultTimeout());
        Assert.DoesNotContain(pids, ProcessTable.IsAlive);
        Assert.Empty(ProcessTable.FindByCommandLine(_dataFolder));
        Assert.Contains("Stopped.", launcher.Output);
    }

    [Fact]
    public async Task KilledLauncher_NextStart_StopsLeftoversAndComesUpOnTheSamePorts()
    {
        string[] arguments = [$"--AppHost:DataFolder={_dataFolder}", .. FixedFreePorts()];
        IReadOnlyList<int> leftovers;
        await using (var first = AppHostProcess.Start(arguments))
        {
            var controlApi = await first.WaitUntilReadyAsync().DefaultTimeout(StartLimit);
            leftovers = [.. (await GetResourcesAsync(controlApi)).Where(r => r.Pid is not null).Select(r => r.Pid!.Value)];
            first.KillLauncherOnly();
            await first.Exited.DefaultTimeout();
        }

        Assert.All(leftovers, pid => Assert.True(ProcessTable.IsAlive(pid), $"process {pid} outlives a killed launcher"));

        await using var second = AppHostProcess.Start(arguments);
        var secondApi = await second.WaitUntilReadyAsync().DefaultTimeout(StartLimit);
        var resources = await GetResourcesAsync(secondApi);

        Assert.All(resources, r => Assert.Equal("healthy", r.Health));
        Assert.DoesNotContain(leftovers, ProcessTable.IsAlive);
        Assert.Contains("left running by a launcher that did not shut down", second.Output);
        Assert.True(await second.StopGracefullyAsync(TimeSpan.FromMinutes(2)).DefaultTimeout(TimeSpan.FromMinutes(3)));
        Assert.Empty(ProcessTable.FindByCommandLine(_dataFolder));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dataFolder, recursive: true);
        }
        catch (IOException)
        {
            // Left in /tmp; never hides the test's own outcome.
        }
    }

    private async Task<IReadOnlyList<ResourceStatus>> GetResourcesAsync(Uri controlApi)
    {
        using var client = new HttpClient { BaseAddress = controlApi };
        client.DefaultRequestHeaders.Authorization = new("Bearer", (await File.ReadAllTextAsync(Path.Combine(_dataFolder, "admin-token"))).Trim());
        return (await client.GetFromJsonAsync<List<ResourceStatus>>("/api/resources").DefaultTimeout())!;
    }

    // Fixed ports (not RandomPorts) so the second launcher needs exactly the ports the leftovers hold.
    private static IEnumerable<string> FixedFreePorts()
    {
        string[] resources = ["postgres", "redis", "configstore", "agentruntime-blue", "agentruntime-green", "gateway", "upgradeorchestrator", "otlp"];
        var ports = new HashSet<int>();
        while (ports.Count < resources.Length + 1)
        {
            ports.Add(PortAvailability.GetFreePort());
        }

        var list = ports.ToList();
        for (var i = 0; i < resources.Length; i++)
        {
            yield return $"--Ports:{resources[i]}={list[i].ToString(CultureInfo.InvariantCulture)}";
        }

        yield return $"--AppHost:DashboardPort={list[^1].ToString(CultureInfo.InvariantCulture)}";
    }
}
