using System.Text.Json;
using Evergreen.ConfigStore.Plugins;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Snapshots;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>
/// The sync reuses the builds of unchanged plugin folders from one commit to the next: what it stores must be exactly what
/// a load from scratch gives, commit after commit.
/// </summary>
public sealed class PluginBuildCacheTests
{
    private readonly PluginBuildCache _cache = new();

    private static Dictionary<string, string> ThreePlugins() => new(StringComparer.Ordinal)
    {
        ["alpha/.claude-plugin/plugin.json"] = Manifest("alpha"),
        ["alpha/agents/reviewer.md"] = Agent("reviewer"),
        ["alpha/agents/writer.md"] = Agent("writer"),
        ["beta/.claude-plugin/plugin.json"] = Manifest("beta"),
        ["beta/agents/reviewer.md"] = Agent("reviewer"),
        ["gamma/.claude-plugin/plugin.json"] = Manifest("gamma"),
        ["gamma/commands/check.md"] = "---\ndescription: Check\n---\nRun the checks.\n",
    };

    private static string Manifest(string name, string extraJson = "", string version = "1.0.0") =>
        $$"""{ "name": "{{name}}", "version": "{{version}}"{{extraJson}} }""";

    private static string Agent(string name, string extraFrontmatter = "") =>
        $"---\nname: {name}\ndescription: The {name} agent.\n{extraFrontmatter}---\n\nYou are {name}.\n";

    private static RepositoryTree Tree(Dictionary<string, string> files, params (string Path, string Target)[] links)
    {
        var builder = new TreeBuilder();
        foreach (var (path, content) in files)
        {
            builder.File(path, content);
        }

        foreach (var (path, target) in links)
        {
            builder.Link(path, target);
        }

        return builder.Build();
    }

    private static Dictionary<string, string> With(Dictionary<string, string> files, params (string Path, string? Content)[] changes)
    {
        foreach (var (path, content) in changes)
        {
            if (content is null)
            {
                files.Remove(path);
            }
            else
            {
                files[path] = content;
            }
        }

        return files;
    }

    [Fact]
    public void Load_FileChangedInOnePlugin_RebuildsOnlyThatPluginAndSeesTheChange()
    {
        LoadAndCompare(Tree(ThreePlugins()));

        var result = LoadAndCompare(Tree(With(ThreePlugins(), ("beta/agents/reviewer.md", Agent("reviewer", "model: opus\n")))));

        Assert.Equal("opus", Assert.Single(result.Plugin("beta").Agents).Model);
        Assert.Equal((2, 1), (_cache.LastReused, _cache.LastBuilt));
    }

    [Fact]
    public void Load_UnchangedTree_ReusesEveryBuildAndGivesTheSameJson()
    {
        var first = LoadAndCompare(Tree(ThreePlugins()));

        var second = LoadAndCompare(Tree(ThreePlugins()));

        Assert.Equal(Json(first), Json(second));
        Assert.Equal((3, 0), (_cache.LastReused, _cache.LastBuilt));
    }

    [Fact]
    public void Load_FileDeleted_DisappearsFromItsPlugin()
    {
        LoadAndCompare(Tree(ThreePlugins()));
        var result = LoadAndCompare(Tree(With(ThreePlugins(), ("alpha/agents/writer.md", null))));

        Assert.Equal(["reviewer"], result.Plugin("alpha").Agents.Select(a => a.Name));
        Assert.DoesNotContain(result.Plugin("alpha").Files, f => f.Path == "alpha/agents/writer.md");
    }

    [Fact]
    public void Load_ChangeInOnePluginDuplicatesAnotherName_ReportsTheUnchangedPluginToo()
    {
        LoadAndCompare(Tree(ThreePlugins()));
        var result = LoadAndCompare(Tree(With(ThreePlugins(), ("gamma/.claude-plugin/plugin.json", Manifest("alpha")))));

        Assert.False(result.IsValid);
        Assert.Contains(result.Diagnostics, d => d is { Code: "duplicate-name", File: "alpha/.claude-plugin/plugin.json" });
        Assert.Contains(result.Diagnostics, d => d is { Code: "duplicate-name", File: "gamma/.claude-plugin/plugin.json" });
    }

    [Fact]
    public void Load_DependencyTargetChangesVersion_ValidatesTheUnchangedDependentAgain()
    {
        var dependent = ("alpha/.claude-plugin/plugin.json", Manifest("alpha", """, "dependencies": [{ "name": "beta", "version": "^1.0.0" }]"""));
        LoadAndCompare(Tree(With(ThreePlugins(), dependent)));

        var result = LoadAndCompare(Tree(With(ThreePlugins(), dependent, ("beta/.claude-plugin/plugin.json", Manifest("beta", version: "2.0.0")))));

        Assert.False(result.IsValid);
        Assert.Contains(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error && d.Message.Contains("beta", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PluginLinksToAFileOutsideItsFolder_SeesThatFileChange()
    {
        RepositoryTree Shared(string description) => Tree(
            With(ThreePlugins(), ("shared/agents/helper.md", $"---\nname: helper\ndescription: {description}\n---\nHelp.\n")),
            ("beta/agents/helper.md", "../../shared/agents/helper.md"));
        LoadAndCompare(Shared("First."));

        var result = LoadAndCompare(Shared("Second."));

        Assert.Equal("Second.", Assert.Single(result.Plugin("beta").Agents, a => a.Name == "helper").Description);
    }

    [Fact]
    public void Load_BrokenFileFixed_DropsItsWarningAndKeepsTheOthers()
    {
        var first = LoadAndCompare(Tree(With(ThreePlugins(), ("beta/agents/odd.md", "---\nname: odd\ndescription: [unclosed\n---\nOdd.\n"))));
        Assert.Contains(first.Diagnostics, d => d.File == "beta/agents/odd.md");

        var result = LoadAndCompare(Tree(With(ThreePlugins(), ("beta/agents/odd.md", "---\nname: odd\ndescription: Fixed.\n---\nOdd.\n"))));

        Assert.DoesNotContain(result.Diagnostics, d => d.File == "beta/agents/odd.md");
    }

    [Fact]
    public void Load_SampleMarketplaceTwice_ReusesTheListedPluginsAndGivesTheSameResult()
    {
        var tree = TreeBuilder.FromDirectory(Path.Combine(RepositoryRoot.Path, "samples", "plugins"));
        var first = LoadAndCompare(tree);

        var second = LoadAndCompare(TreeBuilder.FromDirectory(Path.Combine(RepositoryRoot.Path, "samples", "plugins")));

        Assert.Equal(Json(first), Json(second));
        Assert.Equal(first.Plugins.Count, _cache.LastReused + _cache.LastBuilt);
        Assert.True(_cache.LastReused > 0, "no sample plugin build was reused");
    }

    [Fact]
    public void Load_OptionsChange_RebuildsEveryPlugin()
    {
        LoadAndCompare(Tree(ThreePlugins()));

        LoadAndCompare(Tree(ThreePlugins()), new PluginLoadOptions { Strict = true });

        Assert.Equal((0, 3), (_cache.LastReused, _cache.LastBuilt));
    }

    /// <summary>Loads through the cache and asserts the result is, byte for byte, the load from scratch.</summary>
    private PluginLoadResult LoadAndCompare(RepositoryTree tree, PluginLoadOptions? options = null)
    {
        options ??= PluginLoadOptions.Default;
        var cached = PluginCatalogLoader.Load(tree, options, _cache);
        var cold = PluginCatalogLoader.Load(tree, options);
        Assert.Equal(Json(cold), Json(cached));
        Assert.Equal(cold.Diagnostics, cached.Diagnostics);
        return cached;
    }

    private static string Json(PluginLoadResult result) => JsonSerializer.Serialize(result.Catalog, RevisionFactory.Json);
}
