namespace Evergreen.Testing;

/// <summary>Polls a condition with a deadline, for tests that wait on something another process does.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Completes as soon as <paramref name="condition"/> returns true; polls every 50 ms until <paramref name="timeout"/>.
    /// An exception thrown by the condition counts as "not yet" (a server restarting refuses connections) and is
    /// attached to the time-out if it was the last answer.
    /// </summary>
    /// <param name="condition">The check; called again only after the previous call finished or ran past the deadline.</param>
    /// <param name="timeout">How long to keep trying.</param>
    /// <param name="because">What is awaited, for the message: "the row is visible after the restart".</param>
    /// <param name="cancellationToken">Ends the wait with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    public static async Task Until(Func<Task<bool>> condition, TimeSpan timeout, string because, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTimeOffset.UtcNow + timeout;
        Exception? lastError = null;
        while (true)
        {
            try
            {
                // The condition gets the time that is left, so one hung attempt cannot outlive the deadline.
                var remaining = deadline - DateTimeOffset.UtcNow;
                if (await condition().WaitAsync(remaining > PollInterval ? remaining : PollInterval, cancellationToken))
                {
                    return;
                }

                lastError = null;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                lastError = ex;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                var detail = lastError is null ? string.Empty : $" Last attempt failed: {lastError.Message}";
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting until {because}.{detail}", lastError);
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>Like <see cref="Until(Func{Task{bool}}, TimeSpan, string, CancellationToken)"/> for a synchronous condition.</summary>
    public static Task Until(Func<bool> condition, TimeSpan timeout, string because, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return Until(() => Task.FromResult(condition()), timeout, because, cancellationToken);
    }
}
