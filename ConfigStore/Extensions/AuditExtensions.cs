using Evergreen.ConfigStore.Audit;

namespace Evergreen.ConfigStore.Extensions;

internal static class AuditExtensions
{
    /// <summary>
    /// Registers the audit log reader (<c>GET /api/audit</c>) and the background purge of entries older than
    /// <c>ConfigStore:Audit:Retention</c>. Needs <c>AddPostgresDatabase</c>.
    /// </summary>
    public static IHostApplicationBuilder AddAudit(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(static sp => AuditOptions.From(sp.GetRequiredService<IConfiguration>()));
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddSingleton<AuditRetentionService>();
        builder.Services.AddHostedService(static sp => sp.GetRequiredService<AuditRetentionService>());
        return builder;
    }
}
