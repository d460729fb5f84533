namespace Evergreen.ServiceDefaults.Health;

/// <summary>
/// Adds service-specific entries (for example the active plugin revision) to the <c>/health/info</c> document.
/// Register implementations as singletons: <c>services.AddSingleton&lt;IHealthInfoContributor, MyContributor&gt;()</c>.
/// </summary>
/// <remarks>
/// Called on every <c>/health/info</c> request, possibly concurrently, so implementations must be thread-safe and
/// quick (read a snapshot, never do I/O). Contributors run in registration order after the built-in entries
/// (<c>service</c>, <c>version</c>, <c>replica</c>, <c>state</c>, <c>startedAt</c>, <c>uptimeSeconds</c>,
/// <c>inFlightRequests</c>); a contributor that writes an existing key replaces its value.
/// Values are serialized with System.Text.Json web defaults; a null value is written as JSON null.
/// </remarks>
public interface IHealthInfoContributor
{
    /// <summary>Adds entries to <paramref name="info"/>.</summary>
    /// <param name="info">The document being built; keys are JSON property names.</param>
    void Contribute(IDictionary<string, object?> info);
}
