using Evergreen.ConfigStore.Git;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// The one git writer of this ConfigStore: proposals, approvals and rejections run one at a time, each with the
/// <see cref="WorkRepository"/> opened for it. Serializing them keeps the work clone consistent, and makes the checks
/// (rate limit, pending status) and the writes that follow them one step. A singleton; thread-safe.
/// </summary>
/// <remarks>Replicas of ConfigStore each have their own work clone; the remote refuses a push that is not a
/// fast-forward, so two replicas approving at once cannot both move the tracked branch.</remarks>
internal sealed class ProposalWorkspace(IOptionsMonitor<PluginRepositoryOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Runs <paramref name="work"/> alone, with the work clone open. Throws when libgit2 is not usable.</summary>
    public async Task<T> RunAsync<T>(Func<WorkRepository, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            // An unexpected libgit2 corrupts memory instead of failing (LibGit2NativeCheck), so never call it unchecked.
            if (LibGit2NativeCheck.Check() is { Ok: false } native)
            {
                throw new InvalidOperationException(native.Message);
            }

            using var repository = WorkRepository.Open(options.CurrentValue);
            return await work(repository);
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> alone, without git (a rejection must not race an approval).</summary>
    public async Task<T> RunWithoutGitAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();
}
