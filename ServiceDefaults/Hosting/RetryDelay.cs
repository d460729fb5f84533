namespace Evergreen.ServiceDefaults.Hosting;

/// <summary>Exponential back-off for retry loops that wait longer after each failure, up to a ceiling.</summary>
public static class RetryDelay
{
    /// <summary>Twice <paramref name="delay"/>, but no more than <paramref name="max"/>.</summary>
    public static TimeSpan Doubled(TimeSpan delay, TimeSpan max) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));
}
