namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Whether a sync of the tracked branch has completed since this process started, and why the last one failed.
/// Written by <see cref="RevisionSyncService"/>, read by <see cref="FirstSyncHealthCheck"/>. A singleton; thread-safe.
/// </summary>
internal sealed class SyncProgress
{
    private State _state = new(null, null);

    /// <summary>The first completed sync's result time; null until a sync has completed.</summary>
    public DateTimeOffset? FirstCompletedAt => Volatile.Read(ref _state).FirstCompletedAt;

    /// <summary>The message of the last failed sync; null once a sync completed after it.</summary>
    public string? LastError => Volatile.Read(ref _state).LastError;

    public void Completed(DateTimeOffset at)
    {
        var current = Volatile.Read(ref _state);
        Volatile.Write(ref _state, new State(current.FirstCompletedAt ?? at, null));
    }

    public void Failed(string error)
    {
        var current = Volatile.Read(ref _state);
        Volatile.Write(ref _state, current with { LastError = error });
    }

    // One consumer loop writes, so a plain swap of an immutable state is enough.
    private sealed record State(DateTimeOffset? FirstCompletedAt, string? LastError);
}
