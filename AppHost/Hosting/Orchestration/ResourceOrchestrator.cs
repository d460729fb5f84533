using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>
/// Owns one supervisor per runnable resource. Starts them all at once — each waits for its own dependencies, so
/// independent resources come up in parallel — and stops them one by one in reverse dependency order.
/// </summary>
internal sealed class ResourceOrchestrator
{
    private readonly IReadOnlyList<ResourceSupervisor> _startOrder;
    private readonly Dictionary<string, ResourceSupervisor> _byName;

    public ResourceOrchestrator(IReadOnlyList<Resource> resources, ResourceLogSink logs, ProcessRegistry processes, AppHostOptions options, TimeProvider time)
    {
        var ordered = DependencyOrder.Sort(resources);
        _byName = new Dictionary<string, ResourceSupervisor>(StringComparer.Ordinal);
        var supervisors = new List<ResourceSupervisor>();
        foreach (var resource in ordered)
        {
            logs.Register(resource.Name);
            var supervisor = new ResourceSupervisor(resource, dependency => _byName[dependency.Name], logs, processes, options, time);
            _byName.Add(resource.Name, supervisor);
            supervisors.Add(supervisor);
        }

        _startOrder = supervisors;
    }

    public IReadOnlyList<ResourceSupervisor> Supervisors => _startOrder;

    public ResourceSupervisor? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Starts everything and returns when every resource is healthy; throws <see cref="HostingException"/> naming the root causes when any fails.</summary>
    public async Task StartAllAsync(CancellationToken cancellationToken)
    {
        foreach (var supervisor in _startOrder)
        {
            await supervisor.StartAsync(cancellationToken);
        }

        var outcomes = await Task.WhenAll(_startOrder.Select(s => s.WaitUntilAsync(status => status.IsHealthy || status.IsFailed, cancellationToken)));
        var rootCauses = outcomes
            .Zip(_startOrder)
            .Where(pair => pair.First.IsFailed && !pair.First.Reason!.StartsWith("not started:", StringComparison.Ordinal))
            .Select(pair => pair.First.Reason!)
            .ToList();
        if (rootCauses.Count > 0)
        {
            throw new HostingException(string.Join(Environment.NewLine, rootCauses));
        }
    }

    public async Task StopAllAsync()
    {
        foreach (var supervisor in _startOrder)
        {
            supervisor.BeginShutdown();
        }

        for (var i = _startOrder.Count - 1; i >= 0; i--)
        {
            await _startOrder[i].StopAsync(CancellationToken.None);
        }
    }
}
