using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Snapshots;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>The marketplace Evergreen seeds into a new plugin repository: it must load, with exactly its deliberate mess reported.</summary>
public sealed class SampleMarketplaceTests
{
    private static readonly Lazy<PluginLoadResult> Loaded = new(() =>
        PluginCatalogLoader.Load(TreeBuilder.FromDirectory(Path.Combine(RepositoryRoot.Path, "samples", "plugins")), PluginLoadOptions.Default));

    private static PluginLoadResult Result => Loaded.Value;

    [Fact]
    public void Load_SamplePlugins_ProduceAValidRevisionWithThreeMarketplacePlugins()
    {
        Assert.True(Result.IsValid);
        Assert.Equal("evergreen-samples", Result.Catalog.MarketplaceName);
        Assert.Equal(["code-review", "docs-writer", "release-notes"], Result.Plugins.Select(p => p.Name));
        Assert.All(Result.Plugins, p => Assert.Equal(PluginOrigin.Marketplace, p.Origin));
        Assert.Empty(Result.Catalog.RemotePlugins);
    }

    [Fact]
    public void Load_SamplePlugins_ReportExactlyTheDeliberateMess()
    {
        Assert.Equal(
            [
                (DiagnosticSeverity.Warning, "frontmatter-fallback", "plugins/code-review/agents/reviewer.md", (int?)3),
                (DiagnosticSeverity.Warning, "frontmatter-value-coerced", "plugins/code-review/commands/review.md", (int?)3),
            ],
            Result.Diagnostics.Select(d => (d.Severity, d.Code, d.File!, d.Line)));
    }

    [Fact]
    public void Load_CodeReviewSample_HasReviewerChecklistAndReviewCommand()
    {
        var plugin = Result.Plugin("code-review");
        Assert.Equal(("1.0.0", "Evergreen", "plugins/code-review/.claude-plugin/plugin.json"), (plugin.Version, plugin.Author!.Name, plugin.ManifestFile!));
        Assert.Equal(["keywords", "license"], plugin.Metadata.Keys);

        var reviewer = Assert.Single(plugin.Agents);
        Assert.Equal(("code-review:reviewer", "sonnet"), (reviewer.QualifiedName, reviewer.Model!));
        Assert.Equal(["Read", "Grep", "Glob"], reviewer.Tools);
        Assert.Contains("\n<example>\nContext: The user has just finished a feature", reviewer.Description, StringComparison.Ordinal);
        Assert.Equal("blue", reviewer.Frontmatter["color"].GetString());
        Assert.StartsWith("You are a senior engineer reviewing", reviewer.Body, StringComparison.Ordinal);

        Assert.Equal("code-review:review-checklist", Assert.Single(plugin.Skills).QualifiedName);

        var review = Assert.Single(plugin.Commands);
        Assert.Equal(("code-review:review", "[path | git range]"), (review.QualifiedName, review.ArgumentHint!));
        Assert.Equal(["Bash(git diff:*)", "Bash(git log:*)", "Bash(git status:*)", "Read", "Grep", "Glob"], review.AllowedTools);
    }

    [Fact]
    public void Load_DocsWriterSample_HasBlockScalarAgentStyleGuideAndCommand()
    {
        var plugin = Result.Plugin("docs-writer");
        var writer = Assert.Single(plugin.Agents);
        Assert.Equal("docs-writer:doc-writer", writer.QualifiedName);
        Assert.StartsWith("Use this agent to write or edit documentation: READMEs", writer.Description, StringComparison.Ordinal);
        Assert.Contains("user: \"Document the new retry.maxAttempts setting\"", writer.Description, StringComparison.Ordinal);
        Assert.Equal(["Read", "Write", "Edit", "Glob"], writer.Tools);

        var styleGuide = Assert.Single(plugin.Skills);
        Assert.Equal(("docs-writer:style-guide", "plugins/docs-writer/skills/style-guide"), (styleGuide.QualifiedName, styleGuide.Folder));
        Assert.Contains("documentation — voice", styleGuide.Description, StringComparison.Ordinal);

        var command = Assert.Single(plugin.Commands);
        Assert.Equal(("docs-writer:write-docs", "<topic or path> [target page]"), (command.QualifiedName, command.ArgumentHint!));
    }

    [Fact]
    public void Load_ReleaseNotesSample_HasNoManifestAndKeepsHooksAndMcpAsData()
    {
        var plugin = Result.Plugin("release-notes");
        Assert.Equal(("0.3.0", "plugins/release-notes"), (plugin.Version, plugin.Root));
        Assert.Null(plugin.ManifestFile);

        var summarizer = Assert.Single(plugin.Agents);
        Assert.Equal(("release-notes:summarizer", "inherit"), (summarizer.QualifiedName, summarizer.Model!));
        Assert.Equal(["Read", "Grep"], summarizer.Tools);
        Assert.Empty(plugin.Skills);

        var changelog = Assert.Single(plugin.Commands);
        Assert.Equal("release-notes:changelog", changelog.QualifiedName);
        Assert.StartsWith("Write release notes for the commits in $ARGUMENTS", changelog.Description, StringComparison.Ordinal);
        Assert.Empty(changelog.Frontmatter);

        Assert.Equal("plugins/release-notes/hooks/hooks.json", plugin.HooksFile);
        Assert.True(plugin.Hooks!.Value.GetProperty("hooks").TryGetProperty("SessionStart", out _));
        Assert.Equal("uvx", plugin.McpServers!.Value.GetProperty("git").GetProperty("command").GetString());
    }
}
