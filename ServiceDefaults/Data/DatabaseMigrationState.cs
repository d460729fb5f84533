namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// Progress of the start-up migrations run by <c>AddPostgresDatabase</c>. A singleton; thread-safe.
/// Background work that needs the schema awaits <see cref="WaitForCompletionAsync"/>; request handlers need not,
/// because readiness stays 503 until the migrations are done.
/// </summary>
public sealed class DatabaseMigrationState
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string _status = "migrating";

    internal DatabaseMigrationState()
    {
    }

    /// <summary>Gets a value indicating whether the schema is up to date.</summary>
    public bool IsCompleted => _completed.Task.IsCompletedSuccessfully;

    /// <summary>
    /// Gets what the migrator is doing: "migrating", "waiting for PostgreSQL: &lt;error&gt;",
    /// "migration refused: &lt;reason&gt;" or "migrated".
    /// </summary>
    public string Status => _status;

    /// <summary>Completes when the schema is up to date.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when migrations are done, or fails with the <see cref="MigrationException"/>
    /// that stops the application.</returns>
    public Task WaitForCompletionAsync(CancellationToken cancellationToken) => _completed.Task.WaitAsync(cancellationToken);

    internal void SetStatus(string status) => _status = status;

    internal void Complete()
    {
        _status = "migrated";
        _completed.TrySetResult();
    }

    internal void Fail(MigrationException exception)
    {
        _status = $"migration refused: {exception.Message}";
        _completed.TrySetException(exception);
    }
}
