namespace Evergreen.AppHost.Hosting;

/// <summary>
/// Lets a test run the AppHost's own <c>Main</c> — the real app model — with extra arguments, and take the built
/// application instead of letting <c>Run()</c> block. Carried in an <see cref="AsyncLocal{T}"/> so parallel tests
/// never see each other's hooks.
/// </summary>
internal sealed class DistributedApplicationTestHook(IReadOnlyList<string> arguments)
{
    private static readonly AsyncLocal<DistributedApplicationTestHook?> CurrentHook = new();
    private readonly TaskCompletionSource<DistributedApplication> _application = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static DistributedApplicationTestHook? Current
    {
        get => CurrentHook.Value;
        set => CurrentHook.Value = value;
    }

    public IReadOnlyList<string> Arguments { get; } = arguments;

    public Task<DistributedApplication> Application => _application.Task;

    public void Capture(DistributedApplication application) => _application.TrySetResult(application);

    public void Fail(Exception exception) => _application.TrySetException(exception);
}
