namespace Evergreen.ServiceDefaults.Health;

/// <summary>Body of <c>/health</c> and <c>/health/ready</c>.</summary>
internal sealed record HealthResponse
{
    public required string Status { get; init; }

    public string? Reason { get; init; }

    public required IReadOnlyDictionary<string, HealthCheckResponse> Checks { get; init; }
}

/// <summary>One check's entry in <see cref="HealthResponse.Checks"/>.</summary>
internal sealed record HealthCheckResponse
{
    public required string Status { get; init; }

    public string? Description { get; init; }
}
