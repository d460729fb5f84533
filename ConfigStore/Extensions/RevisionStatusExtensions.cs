using Evergreen.ConfigStore.Revisions;

namespace Evergreen.ConfigStore.Extensions;

internal static class RevisionStatusExtensions
{
    /// <summary>Registers what <c>PUT /api/revisions/{id}/status</c> needs. Needs <c>AddRevisions</c>.</summary>
    public static IHostApplicationBuilder AddRevisionStatus(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<RevisionStatusChanger>();
        return builder;
    }
}
