using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Agents.Models;
using Evergreen.AgentRuntime.Agents.Proposals;
using Evergreen.AgentRuntime.Agents.Tools;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registration of the agent execution engine.</summary>
public static class AgentRunnerExtensions
{
    /// <summary>
    /// Registers <see cref="IAgentRunner"/>: Anthropic models when <c>AgentRuntime:Anthropic:ApiKey</c> is set, the offline
    /// scripted model otherwise; proposals to ConfigStore at <c>services__configstore__http__0</c> with the bearer
    /// <c>Evergreen:RuntimeToken</c>. Limits under <c>AgentRuntime</c> (<c>MaxTurns</c>, <c>MaxOutputTokens</c>, <c>MaxFileBytes</c>,
    /// <c>MaxRationaleChars</c>) and model aliases under <c>AgentRuntime:Models</c>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHostApplicationBuilder AddAgentRunner(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddSingleton(AgentRunnerOptions.From(configuration));
        services.AddSingleton<ModelAliases>();
        if (string.IsNullOrWhiteSpace(configuration[$"{AnthropicModelProvider.SectionName}:ApiKey"]))
        {
            services.AddSingleton<IChatModelProvider, OfflineModelProvider>();
        }
        else
        {
            services.AddSingleton<IChatModelProvider, AnthropicModelProvider>();
        }

        services.AddSingleton<ToolCatalog>();
        services.AddHttpClient(ProposalSubmitter.ClientName).WithServiceBaseAddress("configstore");
        services.AddSingleton<ProposalSubmitter>();
        services.AddSingleton<IAgentRunner, AgentRunner>();
        return builder;
    }
}
