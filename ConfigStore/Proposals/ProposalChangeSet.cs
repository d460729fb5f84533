using System.Text;
using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Proposals;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Applies a proposal's files to a tree in memory and checks that the repository still validates: the same loader
/// the sync runs, so a proposal that passes here becomes a valid revision when merged on the same base.
/// </summary>
internal static class ProposalChangeSet
{
    /// <summary>The changes that really change something, or the 422 explaining why the result is not acceptable.</summary>
    public static (IReadOnlyList<FileChange> Changes, ProposalProblem? Problem) Apply(
        RepositoryTree baseTree, IReadOnlyList<(string Path, ProposedFile File)> files)
    {
        var result = baseTree.Files.ToDictionary(static f => f.Path, StringComparer.Ordinal);
        var changes = new List<FileChange>();
        foreach (var (path, file) in files)
        {
            if (file.Delete)
            {
                if (!result.Remove(path))
                {
                    return ([], Unprocessable($"files: '{path}' cannot be deleted: there is no such file.", []));
                }

                changes.Add(new FileChange(path, null));
                continue;
            }

            var content = Encoding.UTF8.GetBytes(file.Content ?? string.Empty);
            if (result.TryGetValue(path, out var existing) && existing.Content.Span.SequenceEqual(content))
            {
                continue;
            }

            if (Collision(path, result) is { } other)
            {
                return ([], Unprocessable($"files: '{path}' cannot be written: '{other}' is a file and a folder at once then.", []));
            }

            result[path] = new RepositoryFile(path, content);
            changes.Add(new FileChange(path, content));
        }

        if (changes.Count == 0)
        {
            return ([], Unprocessable("files: the proposal changes nothing; every file already has the proposed content.", []));
        }

        var load = PluginCatalogLoader.Load(new RepositoryTree(result.Values), PluginLoadOptions.Default);
        if (!load.IsValid)
        {
            var errors = load.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
            return ([], Unprocessable(
                $"The repository with this change applied does not validate ({errors.Count} error(s)); fix the files and propose again.",
                errors));
        }

        return (changes, null);
    }

    /// <summary>Validates a tree (e.g. a merge result); the 422 when it has errors.</summary>
    public static ProposalProblem? Validate(RepositoryTree tree, string what)
    {
        var errors = PluginCatalogLoader.Load(tree, PluginLoadOptions.Default).Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
        return errors.Count == 0 ? null : Unprocessable($"{what} does not validate ({errors.Count} error(s)); nothing was changed.", errors);
    }

    // A path whose folder is a file, or which is itself a folder of other files, cannot exist in git.
    private static string? Collision(string path, Dictionary<string, RepositoryFile> files)
    {
        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash >= 0; slash = path.IndexOf('/', slash + 1))
        {
            if (files.ContainsKey(path[..slash]))
            {
                return path[..slash];
            }
        }

        var prefix = path + "/";
        return files.Keys.FirstOrDefault(p => p.StartsWith(prefix, StringComparison.Ordinal)) is { } inside ? path : null;
    }

    private static ProposalProblem Unprocessable(string detail, IReadOnlyList<Diagnostic> errors) => new(
        StatusCodes.Status422UnprocessableEntity,
        "The proposal would make the repository invalid.",
        detail,
        new Dictionary<string, object?>
        {
            ["errors"] = errors.Select(static e => new { e.Code, e.Message, e.File, e.Line }).ToList(),
        });
}
