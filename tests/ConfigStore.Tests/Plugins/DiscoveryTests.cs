using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class DiscoveryTests
{
    private const string Marketplace = ".claude-plugin/marketplace.json";

    [Fact]
    public void Load_MarketplaceWithDotSlashSources_LoadsEachListedPlugin()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "alpha", "source": "./plugins/alpha" }, { "name": "beta", "source": "./tools/beta" } ] }""")
            .Plugin("plugins/alpha", "alpha").Agent("plugins/alpha/agents/a.md", "a")
            .Plugin("tools/beta", "beta").Agent("tools/beta/agents/b.md", "b")
            .Load();

        result.AssertClean();
        Assert.Equal("acme", result.Catalog.MarketplaceName);
        Assert.Equal(["alpha", "beta"], result.Plugins.Select(p => p.Name));
        Assert.All(result.Plugins, p => Assert.Equal(PluginOrigin.Marketplace, p.Origin));
        Assert.Equal("alpha:a", Assert.Single(result.Plugin("alpha").Agents).QualifiedName);
        Assert.Equal("tools/beta", result.Plugin("beta").Root);
    }

    [Fact]
    public void Load_MarketplaceWithRootSource_TreatsRepositoryRootAsThePlugin()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "solo", "plugins": [ { "name": "solo", "source": "./" } ] }""")
            .Plugin("", "solo").Agent("agents/helper.md", "helper")
            .Load();

        result.AssertClean();
        Assert.Equal("", result.Plugin("solo").Root);
        Assert.Equal("solo:helper", Assert.Single(result.Plugin("solo").Agents).QualifiedName);
    }

    [Fact]
    public void Load_MarketplacePluginRootWithBareSourceName_ResolvesUnderPluginRoot()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "metadata": { "pluginRoot": "./plugins" }, "plugins": [ { "name": "formatter", "source": "formatter" } ] }""")
            .Plugin("plugins/formatter", "formatter")
            .Load();

        result.AssertClean();
        Assert.Equal("plugins/formatter", result.Plugin("formatter").Root);
    }

    [Fact]
    public void Load_MarketplaceWithRemoteSources_ListsThemWithWarningsWithoutFetching()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """
                { "name": "mixed", "plugins": [
                  { "name": "gh", "source": { "source": "github", "repo": "owner/repo" }, "description": "From GitHub" },
                  { "name": "git", "source": { "source": "url", "url": "https://gitlab.com/team/plugin.git" } },
                  { "name": "sub", "source": { "source": "git-subdir", "url": "https://github.com/o/mono.git", "path": "plugins/sub" } },
                  { "name": "pkg", "source": { "source": "npm", "package": "@acme/plugin" } },
                  { "name": "short", "source": "owner/other-repo" },
                  { "name": "link", "source": "https://example.com/plugin.git" },
                  { "name": "local", "source": "./local" }
                ] }
                """)
            .Plugin("local", "local")
            .Load();

        Assert.True(result.IsValid);
        Assert.Equal(["local"], result.Plugins.Select(p => p.Name));
        Assert.Equal(
            [("gh", "github"), ("git", "url"), ("link", "url"), ("pkg", "npm"), ("short", "github"), ("sub", "git-subdir")],
            result.Catalog.RemotePlugins.Select(r => (r.Name, r.SourceType)));
        Assert.Equal("From GitHub", result.Catalog.RemotePlugins[0].Description);
        Assert.Equal("owner/repo", result.Catalog.RemotePlugins[0].Source.GetProperty("repo").GetString());
        Assert.Equal(6, result.WithCode("marketplace-remote-source").Count);
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("./plugins/../plugins/alpha")]
    public void Load_MarketplaceSourceWithParentSegment_IsErrorAndEntrySkipped(string source)
    {
        var result = new TreeBuilder()
            .File(Marketplace, $$"""{ "name": "acme", "plugins": [ { "name": "alpha", "source": "{{source}}" } ] }""")
            .Plugin("plugins/alpha", "alpha")
            .Load();

        var error = result.SingleError("marketplace-source-traversal", Marketplace);
        Assert.Contains(source, error.Message, StringComparison.Ordinal);
        Assert.Empty(result.Plugins);
    }

    [Fact]
    public void Load_MarketplaceSourceAbsolute_IsPathEscapeError()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "alpha", "source": "/etc/plugins/alpha" } ] }""")
            .Load();

        result.SingleError("path-escapes-repository", Marketplace);
    }

    [Fact]
    public void Load_MarketplaceEntryStrictFalseWithoutPluginJson_LoadsWithoutWarning()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "notes", "source": "./notes", "version": "0.3.0", "strict": false } ] }""")
            .Agent("notes/agents/n.md", "n")
            .Load();

        result.AssertClean();
        Assert.Equal("0.3.0", result.Plugin("notes").Version);
        Assert.Null(result.Plugin("notes").ManifestFile);
    }

    [Fact]
    public void Load_MarketplaceEntryWithoutPluginJsonAndNotStrictFalse_WarnsAndUsesEntry()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "notes", "source": "./notes", "description": "From the entry" } ] }""")
            .Agent("notes/agents/n.md", "n")
            .Load();

        result.SingleWarning("manifest-missing", "notes");
        Assert.Equal("From the entry", result.Plugin("notes").Description);
    }

    [Fact]
    public void Load_PluginJsonNotListedInMarketplace_WarnsAndIsNotLoaded()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "alpha", "source": "./plugins/alpha" } ] }""")
            .Plugin("plugins/alpha", "alpha")
            .Plugin("plugins/stray", "stray")
            .Load();

        result.SingleWarning("plugin-not-listed", "plugins/stray/.claude-plugin/plugin.json");
        Assert.Equal(["alpha"], result.Plugins.Select(p => p.Name));
    }

    [Fact]
    public void Load_PluginFoldersWithManifestsAndNoMarketplace_LoadsEach()
    {
        var result = new TreeBuilder()
            .Plugin("one", "first").Agent("one/agents/x.md", "x")
            .Plugin("nested/two", "second").File("nested/two/commands/go.md", "Go now.\n")
            .Load();

        result.AssertClean();
        Assert.Equal(["first", "second"], result.Plugins.Select(p => p.Name));
        Assert.All(result.Plugins, p => Assert.Equal(PluginOrigin.Manifest, p.Origin));
        Assert.Equal("second:go", Assert.Single(result.Plugin("second").Commands).QualifiedName);
    }

    [Fact]
    public void Load_PluginFolderWithoutPluginJson_NamedAfterFolderWithWarning()
    {
        var result = new TreeBuilder()
            .Agent("plugins/bare-bones/agents/helper.md", "helper")
            .File("plugins/bare-bones/skills/tips/SKILL.md", "---\nname: tips\ndescription: Tips.\n---\nTips.\n")
            .Load();

        var plugin = result.Plugin("bare-bones");
        Assert.Equal(PluginOrigin.Folder, plugin.Origin);
        Assert.Equal("plugins/bare-bones", plugin.Root);
        Assert.Equal("bare-bones:helper", Assert.Single(plugin.Agents).QualifiedName);
        Assert.Equal("bare-bones:tips", Assert.Single(plugin.Skills).QualifiedName);
        result.SingleWarning("manifest-missing", "plugins/bare-bones");
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_ProjectClaudeFolder_LoadsAgentsSkillsAndCommandsAsProjectPlugin()
    {
        var result = new TreeBuilder()
            .Agent(".claude/agents/planner.md", "planner")
            .File(".claude/skills/release/SKILL.md", "---\nname: release\ndescription: How we release.\n---\nSteps.\n")
            .File(".claude/commands/ship.md", "---\ndescription: Ship it\n---\nShip $ARGUMENTS.\n")
            .Load();

        result.AssertClean();
        var project = result.Plugin("project");
        Assert.Equal(PluginOrigin.Project, project.Origin);
        Assert.Equal(".claude", project.Root);
        Assert.Equal("project:planner", Assert.Single(project.Agents).QualifiedName);
        Assert.Equal("project:release", Assert.Single(project.Skills).QualifiedName);
        Assert.Equal("project:ship", Assert.Single(project.Commands).QualifiedName);
    }

    [Fact]
    public void Load_ProjectClaudePluginsFolder_LoadsEachSubfolderAsPlugin()
    {
        var result = new TreeBuilder()
            .Plugin(".claude/plugins/with-manifest", "with-manifest").Agent(".claude/plugins/with-manifest/agents/a.md", "a")
            .Agent(".claude/plugins/no-manifest/agents/b.md", "b")
            .Load();

        Assert.Equal(["no-manifest", "with-manifest"], result.Plugins.Select(p => p.Name));
        Assert.Equal(PluginOrigin.Manifest, result.Plugin("with-manifest").Origin);
        Assert.Equal(PluginOrigin.Folder, result.Plugin("no-manifest").Origin);
        result.SingleWarning("manifest-missing", ".claude/plugins/no-manifest");
    }

    [Fact]
    public void Load_ProjectFolderNextToMarketplace_LoadsBoth()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "alpha", "source": "./plugins/alpha" } ] }""")
            .Plugin("plugins/alpha", "alpha")
            .Agent(".claude/agents/local.md", "local")
            .Load();

        result.AssertClean();
        Assert.Equal(["alpha", "project"], result.Plugins.Select(p => p.Name));
    }

    [Fact]
    public void Load_MarketplaceListingAProjectPluginFolder_LoadsItOnce()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "inner", "source": "./.claude/plugins/inner" } ] }""")
            .Plugin(".claude/plugins/inner", "inner").Agent(".claude/plugins/inner/agents/a.md", "a")
            .Load();

        result.AssertClean();
        Assert.Equal(PluginOrigin.Marketplace, Assert.Single(result.Plugins).Origin);
    }

    [Fact]
    public void Load_ComponentFolderNotListedInMarketplace_WarnsAndIsNotLoaded()
    {
        var result = new TreeBuilder()
            .File(Marketplace, """{ "name": "acme", "plugins": [ { "name": "alpha", "source": "./plugins/alpha" } ] }""")
            .Plugin("plugins/alpha", "alpha").Agent("plugins/alpha/agents/a.md", "a")
            .Agent("plugins/forgotten/agents/b.md", "b")
            .Load();

        result.SingleWarning("plugin-not-listed", "plugins/forgotten");
        Assert.Equal(["alpha"], result.Plugins.Select(p => p.Name));
    }

    [Fact]
    public void Load_AgentsUnderHiddenFolderLikeGithub_AreNotAPlugin()
    {
        var result = new TreeBuilder()
            .File(".github/agents/copilot.md", "---\nname: copilot\n---\nNot Claude's.\n")
            .File("docs/guide.md", "# Guide\n")
            .Load();

        result.AssertClean();
        Assert.Empty(result.Plugins);
    }
}
