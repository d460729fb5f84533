using System.Reflection;

namespace Evergreen.AppHost.Hosting.Testing;

/// <summary>
/// Boots the AppHost's real app model from a test, the way Aspire's testing builder does: the entry point of the
/// assembly that holds the entry-point type runs with the extra arguments (random ports, a temporary
/// data folder), and the built application is handed back, not run. The caller starts, uses and disposes it.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    /// <summary>Runs the entry point and returns the built (not yet started) application.</summary>
    /// <typeparam name="TEntryPoint">A type in the AppHost assembly, usually its <c>Program</c>.</typeparam>
    /// <param name="arguments">Configuration for this instance, e.g. <c>--AppHost:RandomPorts=true</c>.</param>
    /// <param name="cancellationToken">Cancels waiting for the model to be built.</param>
    public static async Task<DistributedApplication> CreateAsync<TEntryPoint>(IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        var entryPoint = typeof(TEntryPoint).Assembly.EntryPoint
            ?? throw new InvalidOperationException($"{typeof(TEntryPoint).Assembly.GetName().Name} has no entry point.");
        var hook = new DistributedApplicationTestHook(arguments);

        // The hook flows into the entry point through the execution context of this task only.
        _ = Task.Run(() =>
        {
            DistributedApplicationTestHook.Current = hook;
            try
            {
                var parameters = entryPoint.GetParameters().Length == 0 ? null : new object[] { Array.Empty<string>() };
                var result = entryPoint.Invoke(null, parameters);
                if (result is Task task)
                {
                    task.GetAwaiter().GetResult();
                }
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                hook.Fail(ex.InnerException);
            }
            catch (Exception ex)
            {
                hook.Fail(ex);
            }

            hook.Fail(new InvalidOperationException("The entry point returned without building a DistributedApplication."));
        }, cancellationToken);

        return await hook.Application.WaitAsync(cancellationToken);
    }
}
