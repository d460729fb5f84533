using Evergreen.AppHost.Hosting;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>Start-up and shutdown of whole instances: parallel instances, orphans, clear errors for bad set-ups.</summary>
public sealed class LauncherLifecycleTests
{
    [Fact]
    public async Task TwoInstances_RandomPorts_BothHealthyAndStopLeavesNoProcess()
    {
        var first = AppHostInstance.CreateAsync();
        var second = AppHostInstance.CreateAsync();
        await using var a = await first.DefaultTimeout(TimeSpan.FromMinutes(4));
        await using var b = await second.DefaultTimeout(TimeSpan.FromMinutes(4));

        var resourcesA = a.Application.GetResources();
        var resourcesB = b.Application.GetResources();
        Assert.All(resourcesA.Concat(resourcesB), r => Assert.Equal("healthy", r.Health));
        var portsA = resourcesA.Where(r => r.Port is not null).Select(r => r.Port!.Value).Append(a.Application.DashboardUrl.Port).ToHashSet();
        var portsB = resourcesB.Where(r => r.Port is not null).Select(r => r.Port!.Value).Append(b.Application.DashboardUrl.Port).ToHashSet();
        Assert.Empty(portsA.Intersect(portsB));

        var pids = resourcesA.Concat(resourcesB).Where(r => r.Pid is not null).Select(r => r.Pid!.Value).ToList();
        Assert.Equal(14, pids.Count);

        await a.Application.StopAsync(TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromMinutes(2));
        await b.Application.StopAsync(TestContext.Current.CancellationToken).DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.DoesNotContain(pids, ProcessTable.IsAlive);
        Assert.Empty(ProcessTable.FindByCommandLine(a.DataFolder));
        Assert.Empty(ProcessTable.FindByCommandLine(b.DataFolder));
    }

    [Fact]
    public async Task Start_CorruptPostgresDataFolder_FailsWithCauseAndFix()
    {
        var dataFolder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "evergreen-corrupt-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        Directory.CreateDirectory(Path.Combine(dataFolder, "postgres"));
        await File.WriteAllTextAsync(Path.Combine(dataFolder, "postgres", "junk.txt"), "not a cluster", TestContext.Current.CancellationToken);
        await using var instance = await AppHostInstance.CreateAsync(start: false, dataFolder: dataFolder);

        var error = await Assert.ThrowsAsync<HostingException>(() => instance.Application.StartAsync(TestContext.Current.CancellationToken)).DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.Contains(Path.Combine(dataFolder, "postgres"), error.Message);
        Assert.Contains("delete", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("not started:", error.Message);
    }

    [Fact]
    public async Task Start_PortAlreadyTaken_FailsNamingPortAndOverride()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var takenPort = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        await using var instance = await AppHostInstance.CreateAsync(start: false, extraArguments: $"--Ports:redis={takenPort}");

        var error = await Assert.ThrowsAsync<HostingException>(() => instance.Application.StartAsync(TestContext.Current.CancellationToken)).DefaultTimeout(TimeSpan.FromMinutes(2));

        Assert.Contains(takenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Contains("redis", error.Message);
        Assert.Contains("--Ports:redis=", error.Message);
    }
}
