using Evergreen.ServiceDefaults.Hosting;

namespace Evergreen.ConfigStore.Audit;

/// <summary>
/// <c>ConfigStore:Audit:Retention</c> (how long entries are kept, default 30 days) and
/// <c>ConfigStore:Audit:PurgeInterval</c> (how often older entries are deleted, default 1 hour).
/// Durations are seconds ("3600") or hh:mm:ss / d.hh:mm:ss ("30.00:00:00").
/// </summary>
internal sealed record AuditOptions(TimeSpan Retention, TimeSpan PurgeInterval)
{
    public const string Section = "ConfigStore:Audit";

    public static AuditOptions From(IConfiguration configuration) => new(
        ConfigurationValues.GetDuration(configuration, $"{Section}:Retention", TimeSpan.FromDays(30), mustBePositive: true),
        ConfigurationValues.GetDuration(configuration, $"{Section}:PurgeInterval", TimeSpan.FromHours(1), mustBePositive: true));
}
