using System.Collections.Immutable;
using Evergreen.ServiceDefaults.Hosting;
using Evergreen.ServiceDefaults.ServiceDiscovery;

namespace Evergreen.Gateway.Configuration;

/// <summary>
/// The runtime replicas the gateway forwards <c>/v1/**</c> to, fixed at start-up and ordered by id (ordinal), which is
/// also the order of the sticky-assignment ranges.
/// </summary>
/// <remarks>
/// Destinations come from two places, merged by id:
/// <list type="bullet">
/// <item>every service address whose name starts with <see cref="GatewayOptions.ServicePrefix"/>
/// (<c>services__agentruntime-blue__http__0</c> → destination <c>agentruntime-blue</c>), as the AppHost sets them;</item>
/// <item>the section <c>Gateway:Destinations:&lt;id&gt;</c> with <c>Address</c> and/or <c>Weight</c>
/// (<c>Gateway__Destinations__blue__Address=http://127.0.0.1:5301</c>); an explicit address wins over a discovered one,
/// and a <c>Weight</c> alone sets the initial weight of a discovered destination.</item>
/// </list>
/// Weights are 0–100; a destination without one gets the equal share <c>100 / count</c>. The replica name (used in
/// stream session ids) is the id without the <c>&lt;prefix&gt;-</c> part. Immutable and thread-safe.
/// </remarks>
internal sealed class DestinationCatalog
{
    public const int MaxWeight = 100;
    private const string SectionKey = $"{GatewayOptions.SectionName}:Destinations";

    public DestinationCatalog(IEnumerable<DestinationDefinition> destinations)
    {
        Destinations = [.. destinations.OrderBy(d => d.Id, StringComparer.Ordinal).Select((d, i) => d with { Index = i })];
    }

    public ImmutableArray<DestinationDefinition> Destinations { get; }

    public int Count => Destinations.Length;

    /// <summary>The destination's index, or -1 when no destination has this id (ordinal, case-sensitive).</summary>
    public int IndexOf(string id)
    {
        for (var i = 0; i < Destinations.Length; i++)
        {
            if (string.Equals(Destinations[i].Id, id, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public static DestinationCatalog FromConfiguration(IConfiguration configuration, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(options);

        var addresses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var service in configuration.GetSection("services").GetChildren())
        {
            if (service.Key.StartsWith(options.ServicePrefix, StringComparison.OrdinalIgnoreCase)
                && ServiceEndpoints.TryResolve(configuration, service.Key, out var endpoint))
            {
                addresses[service.Key] = endpoint.ToString();
            }
        }

        var weights = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in configuration.GetSection(SectionKey).GetChildren())
        {
            if (entry["Address"] is { Length: > 0 } address)
            {
                addresses[entry.Key] = address;
            }

            if (entry["Weight"] is { Length: > 0 })
            {
                weights[entry.Key] = ConfigurationValues.GetInt32(configuration, $"{SectionKey}:{entry.Key}:Weight", 0, 0, MaxWeight);
            }
        }

        var unknown = weights.Keys.Where(id => !addresses.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"Gateway destination(s) {string.Join(", ", unknown)} have a weight but no address: set {SectionKey}:<id>:Address " +
                $"or services__<id>__http__0.");
        }

        var equalShare = addresses.Count == 0 ? MaxWeight : Math.Max(1, MaxWeight / addresses.Count);
        return new DestinationCatalog(addresses.Select(pair => new DestinationDefinition(
            Index: 0,
            Id: pair.Key,
            Replica: ReplicaName(pair.Key, options.ServicePrefix),
            Address: NormalizeAddress(pair.Key, pair.Value),
            InitialWeight: weights.TryGetValue(pair.Key, out var weight) ? weight : equalShare)));
    }

    private static string ReplicaName(string id, string prefix) =>
        id.Length > prefix.Length + 1 && id.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && id[prefix.Length] == '-'
            ? id[(prefix.Length + 1)..]
            : id;

    private static string NormalizeAddress(string id, string text)
    {
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new InvalidOperationException(
                $"Gateway destination '{id}' has an invalid address '{text}': expected an absolute http(s) URI such as http://127.0.0.1:5301.");
        }

        return uri.ToString().TrimEnd('/');
    }
}
