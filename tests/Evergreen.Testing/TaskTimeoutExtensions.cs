using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Evergreen.Testing;

/// <summary>
/// Bounded awaits for tests, after YARP's helper: <c>await task.DefaultTimeout()</c> fails with a
/// <see cref="TimeoutException"/> naming the file and line of the await instead of hanging the run.
/// </summary>
/// <remarks>The awaited operation is not cancelled on time-out; pass a cancellation token to it for that.</remarks>
public static class TaskTimeoutExtensions
{
    /// <summary>The time-out used when none is given: 30 s, or 10 min while a debugger is attached.</summary>
    public static TimeSpan DefaultTimeoutTimeSpan { get; } = Debugger.IsAttached ? TimeSpan.FromMinutes(10) : TimeSpan.FromSeconds(30);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="DefaultTimeoutTimeSpan"/>.</summary>
    public static Task DefaultTimeout(this Task task, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.DefaultTimeout(DefaultTimeoutTimeSpan, filePath, lineNumber);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    public static async Task DefaultTimeout(this Task task, TimeSpan timeout, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw TimedOut(timeout, filePath, lineNumber);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="DefaultTimeoutTimeSpan"/> and returns its result.</summary>
    public static Task<T> DefaultTimeout<T>(this Task<T> task, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.DefaultTimeout(DefaultTimeoutTimeSpan, filePath, lineNumber);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> and returns its result.</summary>
    public static async Task<T> DefaultTimeout<T>(this Task<T> task, TimeSpan timeout, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw TimedOut(timeout, filePath, lineNumber);
        }
    }

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="DefaultTimeoutTimeSpan"/>.</summary>
    public static Task DefaultTimeout(this ValueTask task, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(DefaultTimeoutTimeSpan, filePath, lineNumber);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/>.</summary>
    public static Task DefaultTimeout(this ValueTask task, TimeSpan timeout, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(timeout, filePath, lineNumber);

    /// <summary>Awaits <paramref name="task"/> for at most <see cref="DefaultTimeoutTimeSpan"/> and returns its result.</summary>
    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(DefaultTimeoutTimeSpan, filePath, lineNumber);

    /// <summary>Awaits <paramref name="task"/> for at most <paramref name="timeout"/> and returns its result.</summary>
    public static Task<T> DefaultTimeout<T>(this ValueTask<T> task, TimeSpan timeout, [CallerFilePath] string? filePath = null, [CallerLineNumber] int lineNumber = 0) =>
        task.AsTask().DefaultTimeout(timeout, filePath, lineNumber);

    private static TimeoutException TimedOut(TimeSpan timeout, string? filePath, int lineNumber) =>
        new($"The operation at {filePath}:{lineNumber} timed out after {timeout.TotalSeconds:0.###} s.");
}
