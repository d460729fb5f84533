namespace Evergreen.Contracts.Gateway;

/// <summary>
/// Answer of <c>POST /admin/destinations/{id}/drain</c>. The destination's weight is 0 from the moment the drain
/// starts and stays 0 afterwards, drained or not: restore it with <c>PUT /admin/destinations/{id}</c>.
/// </summary>
public sealed record DrainResult
{
    /// <summary>True when the destination had nothing in flight before the time-out.</summary>
    public required bool Drained { get; init; }

    /// <summary>Requests still in flight when the drain answered: 0 when <see cref="Drained"/> is true.</summary>
    public required long InFlight { get; init; }

    /// <summary>How long the drain waited, in milliseconds.</summary>
    public required long WaitedMs { get; init; }
}
