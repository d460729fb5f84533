using LibGit2Sharp;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Git;

/// <summary>
/// Ready only when libgit2 loads at the expected version and the configured branch resolves in the repository.
/// Each answer names the cause and the fix, because this is what an operator sees in <c>/health/ready</c>.
/// The answer is kept for a few seconds: readiness is probed every second, and a remote repository should not
/// be asked that often.
/// </summary>
internal sealed class PluginRepositoryHealthCheck(IOptionsMonitor<PluginRepositoryOptions> options, TimeProvider time) : IHealthCheck
{
    private static readonly TimeSpan KeepFor = TimeSpan.FromSeconds(5);
    private CachedAnswer? _last;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var repository = options.CurrentValue;
        var last = Volatile.Read(ref _last);
        if (last is not null && last.Repository == repository && time.GetUtcNow() - last.At < KeepFor)
        {
            return Task.FromResult(last.Result);
        }

        var result = Check(repository);
        Volatile.Write(ref _last, new CachedAnswer(repository, time.GetUtcNow(), result));
        return Task.FromResult(result);
    }

    private static HealthCheckResult Check(PluginRepositoryOptions repository)
    {
        var native = LibGit2NativeCheck.Check();
        if (!native.Ok)
        {
            return HealthCheckResult.Unhealthy(native.Message);
        }

        var url = repository.SourceUrl;
        if (string.IsNullOrWhiteSpace(url))
        {
            return HealthCheckResult.Unhealthy("ConfigStore:Repository:Url is not set. Set it (env ConfigStore__Repository__Url) to the plugin repository's path or URL.");
        }

        try
        {
            var head = Repository.ListRemoteReferences(url)
                .FirstOrDefault(reference => reference.CanonicalName == $"refs/heads/{repository.Branch}");
            return head is null
                ? HealthCheckResult.Unhealthy($"Branch '{repository.Branch}' does not exist in {url}. Push it, or set ConfigStore:Repository:Branch.")
                : HealthCheckResult.Healthy($"{repository.Branch} at {head.TargetIdentifier[..12]}");
        }
        catch (LibGit2SharpException ex)
        {
            return HealthCheckResult.Unhealthy($"The plugin repository {url} cannot be read: {ex.Message}");
        }
    }

    private sealed record CachedAnswer(PluginRepositoryOptions Repository, DateTimeOffset At, HealthCheckResult Result);
}
