namespace Evergreen.Contracts.Gateway;

/// <summary>Body of <c>POST /admin/destinations/{id}/drain</c>; the body may be omitted.</summary>
public sealed record DrainRequest
{
    /// <summary>How long to wait for in-flight requests to finish, 0–3600 seconds; null means 30.</summary>
    public double? TimeoutSeconds { get; init; }
}
