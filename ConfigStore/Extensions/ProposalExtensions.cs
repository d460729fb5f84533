using Evergreen.ConfigStore.Proposals;
using Evergreen.ConfigStore.Revisions;

namespace Evergreen.ConfigStore.Extensions;

internal static class ProposalExtensions
{
    /// <summary>
    /// Registers proposals: the limits (<c>ConfigStore:Proposals</c>), the one git writer with its work clone, the
    /// creation and decision services, and the sync listener that notices merges made on the git host.
    /// Needs <c>AddRevisions</c>.
    /// </summary>
    public static IHostApplicationBuilder AddProposals(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProposalOptions>().Bind(builder.Configuration.GetSection(ProposalOptions.Section));
        builder.Services.AddSingleton<ProposalStore>();
        builder.Services.AddSingleton<ProposalWorkspace>();
        builder.Services.AddSingleton<ProposalService>();
        builder.Services.AddSingleton<ProposalDecisions>();
        builder.Services.AddSingleton<IRevisionSyncListener, ProposalMergeTracker>();
        return builder;
    }
}
