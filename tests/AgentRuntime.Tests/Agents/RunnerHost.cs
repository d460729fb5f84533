using Evergreen.AgentRuntime.Agents;
using Evergreen.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>The runner as the service registers it (<c>AddAgentRunner</c>), with the test's configuration.</summary>
internal sealed class RunnerHost : IDisposable
{
    public const string RuntimeToken = "runtime-token-for-tests";

    private readonly IHost _host;

    private RunnerHost(IHost host) => _host = host;

    public IAgentRunner Runner => _host.Services.GetRequiredService<IAgentRunner>();

    /// <summary>A host with the offline model (no key) or the fake Anthropic server, and ConfigStore at <paramref name="configStore"/>.</summary>
    public static RunnerHost Create(string? anthropicBaseUrl, string? configStore, IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        var values = new Dictionary<string, string?>
        {
            ["Evergreen:RuntimeToken"] = RuntimeToken,
            ["AgentRuntime:Models:sonnet"] = "claude-sonnet-test",
            ["AgentRuntime:Models:opus"] = "claude-opus-test",
            ["AgentRuntime:Anthropic:MaxRetries"] = "0",
        };
        if (anthropicBaseUrl is not null)
        {
            values["AgentRuntime:Anthropic:ApiKey"] = "sk-ant-test";
            values["AgentRuntime:Anthropic:BaseUrl"] = anthropicBaseUrl;
        }

        if (configStore is not null)
        {
            values["services:configstore:http:0"] = configStore;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.Logging.ClearProviders();
        builder.AddAgentRunner();
        return new RunnerHost(builder.Build());
    }

    /// <summary>Runs to the end and returns every event; fails the test after the default time-out.</summary>
    public Task<List<AgentEvent>> RunAsync(AgentRun run, CancellationToken cancellationToken = default) =>
        Collect(run, cancellationToken).DefaultTimeout();

    public void Dispose() => _host.Dispose();

    private async Task<List<AgentEvent>> Collect(AgentRun run, CancellationToken cancellationToken)
    {
        var events = new List<AgentEvent>();
        await foreach (var e in Runner.RunAsync(run, cancellationToken))
        {
            events.Add(e);
        }

        return events;
    }
}
