using Evergreen.ServiceDefaults.Hosting;

namespace Evergreen.Gateway.Configuration;

/// <summary>
/// The gateway's settings, read once at start-up from the <c>Gateway</c> configuration section
/// (environment <c>Gateway__&lt;Key&gt;</c>). Destinations are described by <see cref="DestinationCatalog"/>.
/// </summary>
/// <remarks>
/// Keys: <c>MaxRequestBodyBytes</c> (default 1 MiB; larger bodies get 413), <c>ApiKeys</c> (a list or a comma-separated
/// value; when set, <c>/v1/**</c> needs <c>X-Api-Key</c>), <c>StickySeed</c> (default empty), <c>ServicePrefix</c>
/// (default <c>agentruntime</c>), <c>ConnectTimeout</c> (2 s), <c>ActivityTimeout</c> (100 s without a byte either way),
/// <c>RetryAfterSeconds</c> (2), <c>ConnectionLane</c> (<c>true</c>; <c>false</c> serves every request through Kestrel's
/// HTTP layer and YARP's pipeline, see <see cref="Lane.ConnectionLane"/>), and under <c>HealthCheck</c>: <c>Interval</c> (1 s), <c>Timeout</c> (2 s),
/// <c>Path</c> (<c>/health/ready</c>), <c>ConsecutiveFailures</c> (2 failed probes mark a destination unhealthy),
/// <c>ReactivationPeriod</c> (5 s), <c>PassiveFailures</c> (3 consecutive non-connect transport failures).
/// </remarks>
internal sealed record GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The YARP cluster (and route) id of the runtime replicas.</summary>
    public const string ClusterId = "agentruntime";

    public string ServicePrefix { get; init; } = "agentruntime";

    public long MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    public string StickySeed { get; init; } = string.Empty;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan ActivityTimeout { get; init; } = TimeSpan.FromSeconds(100);

    public int RetryAfterSeconds { get; init; } = 2;

    public TimeSpan HealthCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public string HealthCheckPath { get; init; } = "/health/ready";

    public int HealthCheckConsecutiveFailures { get; init; } = 2;

    public TimeSpan PassiveReactivationPeriod { get; init; } = TimeSpan.FromSeconds(5);

    public int PassiveFailureThreshold { get; init; } = 3;

    public bool ConnectionLane { get; init; } = true;

    public static GatewayOptions Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var defaults = new GatewayOptions();
        const string S = SectionName;
        const string H = $"{SectionName}:HealthCheck";
        return new GatewayOptions
        {
            ServicePrefix = configuration[$"{S}:ServicePrefix"] is { Length: > 0 } prefix ? prefix : defaults.ServicePrefix,
            MaxRequestBodyBytes = ConfigurationValues.GetInt64(configuration, $"{S}:MaxRequestBodyBytes", defaults.MaxRequestBodyBytes, 0, int.MaxValue),
            ApiKeys = ConfigurationValues.GetList(configuration, $"{S}:ApiKeys"),
            StickySeed = configuration[$"{S}:StickySeed"] ?? defaults.StickySeed,
            ConnectTimeout = ConfigurationValues.GetDuration(configuration, $"{S}:ConnectTimeout", defaults.ConnectTimeout, mustBePositive: true),
            ActivityTimeout = ConfigurationValues.GetDuration(configuration, $"{S}:ActivityTimeout", defaults.ActivityTimeout, mustBePositive: true),
            RetryAfterSeconds = ConfigurationValues.GetInt32(configuration, $"{S}:RetryAfterSeconds", defaults.RetryAfterSeconds, 0, 3600),
            HealthCheckInterval = ConfigurationValues.GetDuration(configuration, $"{H}:Interval", defaults.HealthCheckInterval, mustBePositive: true),
            HealthCheckTimeout = ConfigurationValues.GetDuration(configuration, $"{H}:Timeout", defaults.HealthCheckTimeout, mustBePositive: true),
            HealthCheckPath = configuration[$"{H}:Path"] is { Length: > 0 } path ? path : defaults.HealthCheckPath,
            HealthCheckConsecutiveFailures = ConfigurationValues.GetInt32(configuration, $"{H}:ConsecutiveFailures", defaults.HealthCheckConsecutiveFailures, 1, 100),
            PassiveReactivationPeriod = ConfigurationValues.GetDuration(configuration, $"{H}:ReactivationPeriod", defaults.PassiveReactivationPeriod, mustBePositive: true),
            PassiveFailureThreshold = ConfigurationValues.GetInt32(configuration, $"{H}:PassiveFailures", defaults.PassiveFailureThreshold, 1, 1000),
            ConnectionLane = ReadSwitch(configuration, $"{S}:ConnectionLane", defaults.ConnectionLane),
        };
    }

    private static bool ReadSwitch(IConfiguration configuration, string key, bool defaultValue) => configuration[key] switch
    {
        null or "" => defaultValue,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new InvalidOperationException($"Configuration value '{key}' must be true or false; it is '{text}'."),
    };
}
