namespace Evergreen.Contracts.Gateway;

/// <summary>
/// Body of <c>PUT /admin/destinations</c>: several weights applied as one atomic change. Either every listed weight
/// applies or none does (an unknown id or an out-of-range weight rejects the whole request); destinations not listed
/// keep their weights.
/// </summary>
public sealed record SetWeightsRequest
{
    /// <summary>Destination id → weight 0–100, e.g. <c>{"agentruntime-blue": 95, "agentruntime-green": 5}</c>.</summary>
    public required IReadOnlyDictionary<string, int> Weights { get; init; }
}
