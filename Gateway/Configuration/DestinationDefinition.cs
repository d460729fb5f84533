namespace Evergreen.Gateway.Configuration;

/// <summary>One configured destination: a runtime replica the gateway forwards to.</summary>
/// <param name="Index">Position in <see cref="DestinationCatalog.Destinations"/> (ordinal order of ids).</param>
/// <param name="Id">Destination id, e.g. <c>agentruntime-blue</c>.</param>
/// <param name="Replica">Short replica name used in stream session ids, e.g. <c>blue</c>.</param>
/// <param name="Address">Base address without a trailing slash.</param>
/// <param name="InitialWeight">Weight at start-up, 0–100.</param>
internal sealed record DestinationDefinition(int Index, string Id, string Replica, string Address, int InitialWeight);
