using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Hosting;

/// <summary>This replica's short name (<c>blue</c>, <c>green</c>): the prefix of session and run ids and the value of <c>X-Evergreen-Replica</c>.</summary>
internal sealed record ReplicaName(string Value)
{
    public const string ConfigurationKey = "Evergreen:Replica";
    private const string ServiceNameKey = "OTEL_SERVICE_NAME";
    private const string ServicePrefix = "agentruntime-";

    /// <summary>
    /// <c>Evergreen:Replica</c> when set; else the part of <c>OTEL_SERVICE_NAME</c> after <c>agentruntime-</c>
    /// (the AppHost names replicas <c>agentruntime-blue</c>); else <c>local</c>.
    /// </summary>
    public static ReplicaName From(IConfiguration configuration)
    {
        var configured = configuration[ConfigurationKey];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Validated(configured.Trim(), ConfigurationKey);
        }

        var service = configuration[ServiceNameKey];
        if (!string.IsNullOrWhiteSpace(service) && service.StartsWith(ServicePrefix, StringComparison.OrdinalIgnoreCase) && service.Length > ServicePrefix.Length)
        {
            return Validated(service[ServicePrefix.Length..].Trim(), ServiceNameKey);
        }

        return new ReplicaName("local");
    }

    private static ReplicaName Validated(string name, string key) =>
        // The name starts session ids that the gateway splits on '.', and appears in URLs.
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? new ReplicaName(name)
            : throw new InvalidOperationException(
                $"Configuration value '{key}' gives the replica name '{name}': use letters, digits, '-' or '_' only (for example \"blue\").");

    public override string ToString() => Value;
}
