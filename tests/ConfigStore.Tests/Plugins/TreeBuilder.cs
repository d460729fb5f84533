using System.Text;
using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>Builds a <see cref="RepositoryTree"/> in memory from strings, the way a git commit would hand it over.</summary>
internal sealed class TreeBuilder
{
    private readonly List<RepositoryFile> _files = [];

    public TreeBuilder File(string path, string content) => Bytes(path, Encoding.UTF8.GetBytes(content));

    public TreeBuilder Bytes(string path, byte[] content)
    {
        _files.Add(new RepositoryFile(path, content));
        return this;
    }

    /// <summary>A symbolic link: git stores the target as the blob's content.</summary>
    public TreeBuilder Link(string path, string target)
    {
        _files.Add(new RepositoryFile(path, Encoding.UTF8.GetBytes(target), IsSymbolicLink: true, LinkTarget: target));
        return this;
    }

    /// <summary>A plugin folder with a minimal <c>.claude-plugin/plugin.json</c>.</summary>
    public TreeBuilder Plugin(string root, string name, string extraJson = "") =>
        File(root.Length == 0 ? ".claude-plugin/plugin.json" : $"{root}/.claude-plugin/plugin.json", $$"""{ "name": "{{name}}", "version": "1.0.0"{{extraJson}} }""");

    public TreeBuilder Agent(string path, string name, string extraFrontmatter = "") =>
        File(path, $"---\nname: {name}\ndescription: The {name} agent.\n{extraFrontmatter}---\n\nYou are {name}.\n");

    public RepositoryTree Build() => new(_files);

    public PluginLoadResult Load(PluginLoadOptions? options = null) => PluginCatalogLoader.Load(Build(), options ?? PluginLoadOptions.Default);

    /// <summary>Reads a folder on disk into a tree, keeping symbolic links as links.</summary>
    public static RepositoryTree FromDirectory(string directory)
    {
        var builder = new TreeBuilder();
        foreach (var path in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var info = new FileInfo(path);
            var relative = Path.GetRelativePath(directory, path).Replace(Path.DirectorySeparatorChar, '/');
            if (info.LinkTarget is { } target)
            {
                builder.Link(relative, target);
            }
            else if (!info.Attributes.HasFlag(FileAttributes.Directory))
            {
                builder.Bytes(relative, System.IO.File.ReadAllBytes(path));
            }
        }

        return builder.Build();
    }
}

internal static class LoadResultAssertions
{
    public static PluginDefinition Plugin(this PluginLoadResult result, string name) =>
        Assert.Single(result.Plugins, p => p.Name == name);

    public static IReadOnlyList<Diagnostic> WithCode(this PluginLoadResult result, string code) =>
        [.. result.Diagnostics.Where(d => d.Code == code)];

    public static Diagnostic SingleWarning(this PluginLoadResult result, string code, string? file = null)
    {
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == code && (file is null || d.File == file));
        Assert.Equal(DiagnosticSeverity.Warning, diagnostic.Severity);
        return diagnostic;
    }

    public static Diagnostic SingleError(this PluginLoadResult result, string code, string? file = null)
    {
        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == code && (file is null || d.File == file));
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.False(result.IsValid);
        return diagnostic;
    }

    /// <summary>Asserts the load produced no diagnostics at all, showing them when it did.</summary>
    public static void AssertClean(this PluginLoadResult result) =>
        Assert.True(result.Diagnostics.Count == 0, string.Join("\n", result.Diagnostics.Select(d => $"{d.Severity} {d.Code} {d.File}:{d.Line} {d.Message}")));
}
