namespace Evergreen.Contracts.Gateway;

/// <summary>Body of <c>PUT /admin/destinations/{id}</c>.</summary>
public sealed record SetWeightRequest
{
    /// <summary>The new weight, 0–100. 0 stops new requests to the destination (draining).</summary>
    public required int Weight { get; init; }
}
