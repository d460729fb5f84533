namespace Evergreen.AppHost.Hosting.Network;

/// <summary>
/// Waits for a server by asking a probe every 100 ms. A probe answers null when the server serves, otherwise why not;
/// the last answer goes into the time-out message so the cause is never lost.
/// </summary>
internal static class ReadinessPolling
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Polls until the probe answers null; only <paramref name="cancellationToken"/> ends the wait early.</summary>
    public static async Task WaitAsync(Func<CancellationToken, Task<string?>> probe, CancellationToken cancellationToken)
    {
        while (await probe(cancellationToken) is not null)
        {
            await Task.Delay(Interval, cancellationToken);
        }
    }

    /// <summary>Polls until the probe answers null or <paramref name="timeout"/> passes; then throws <see cref="HostingException"/> with <paramref name="describeTimeout"/>(last answer).</summary>
    public static async Task WaitAsync(Func<CancellationToken, Task<string?>> probe, TimeSpan timeout, Func<string, string> describeTimeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        string? lastError = "no attempt finished";
        try
        {
            while ((lastError = await probe(deadline.Token)) is not null)
            {
                await Task.Delay(Interval, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HostingException(describeTimeout(lastError ?? "none"));
        }
    }
}
