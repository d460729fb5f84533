using Evergreen.AppHost.Hosting.Resources;

namespace Evergreen.AppHost.Hosting.Git;

/// <summary>
/// The plugin repository: a bare git repository under the data folder, seeded once from a folder of the source tree.
/// It is not a process; it is healthy while its branch resolves.
/// </summary>
public sealed class GitRepositoryResource(string name, string folderName, string seedFolder, string branch) : Resource(name)
{
    private string? _path;
    private string? _seed;

    /// <inheritdoc />
    public override string Kind => "git";

    /// <summary>Absolute path of the bare repository; valid after <c>Build()</c>.</summary>
    public string RepositoryPath => _path ?? throw new InvalidOperationException("The path is resolved by Build().");

    /// <summary>The branch services track.</summary>
    public string Branch { get; } = branch;

    internal override void Resolve(ResourceResolutionContext context)
    {
        _path = Path.Combine(context.DataFolder, folderName);
        _seed = Path.Combine(context.RepositoryRoot, seedFolder);
    }

    internal override Task PrepareAsync(CancellationToken cancellationToken) =>
        PluginRepository.EnsureSeededAsync(RepositoryPath, _seed!, Branch, cancellationToken);

    internal override Processes.ProcessSpec? CreateProcessSpec() => null;

    internal override async Task<HealthProbeResult> ProbeHealthAsync(CancellationToken cancellationToken) =>
        await PluginRepository.GetHeadAsync(RepositoryPath, Branch, cancellationToken) is not null
            ? HealthProbeResult.Ok
            : HealthProbeResult.Unhealthy($"branch '{Branch}' does not resolve in {RepositoryPath}");
}
