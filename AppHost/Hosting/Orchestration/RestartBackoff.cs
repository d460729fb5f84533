namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>
/// Delay before restarting a crashed process: 1 s, 2 s, 4 s … up to 30 s, back to 1 s once a process has stayed
/// healthy for a minute, so a crash loop does not spin and a rare crash restarts quickly.
/// </summary>
internal sealed class RestartBackoff(TimeProvider time)
{
    private static readonly TimeSpan Initial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Maximum = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StableAfter = TimeSpan.FromMinutes(1);

    private int _consecutiveFailures;

    /// <summary>Crashes in a row without a healthy minute between them.</summary>
    public int ConsecutiveFailures => _consecutiveFailures;

    public TimeSpan NextDelay(DateTimeOffset? healthySince)
    {
        if (healthySince is { } since && time.GetUtcNow() - since >= StableAfter)
        {
            _consecutiveFailures = 0;
        }

        var delay = TimeSpan.FromTicks(Math.Min(Maximum.Ticks, Initial.Ticks << Math.Min(_consecutiveFailures, 5)));
        _consecutiveFailures++;
        return delay;
    }

    public void Reset() => _consecutiveFailures = 0;
}
