using Evergreen.ConfigStore.Plugins;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>What makes a revision invalid — and that one bad file still never drops its plugin.</summary>
public sealed class ErrorTests
{
    [Fact]
    public void Load_TwoAgentsWithTheSameQualifiedName_IsErrorOnBothFiles()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .Agent("p/agents/reviewer.md", "reviewer")
            .Agent("p/agents/reviewer-v2.md", "reviewer")
            .Load();

        Assert.False(result.IsValid);
        Assert.Equal(["p/agents/reviewer-v2.md", "p/agents/reviewer.md"], result.WithCode("duplicate-name").Select(d => d.File));
        Assert.Contains("'p:reviewer'", result.WithCode("duplicate-name")[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameAgentNameInTwoPlugins_IsValid()
    {
        var result = new TreeBuilder()
            .Plugin("a", "a").Agent("a/agents/reviewer.md", "reviewer")
            .Plugin("b", "b").Agent("b/agents/reviewer.md", "reviewer")
            .Load();

        result.AssertClean();
        Assert.Equal(["a:reviewer", "b:reviewer"], result.Plugins.SelectMany(p => p.Agents).Select(a => a.QualifiedName));
    }

    [Fact]
    public void Load_SkillAndCommandWithTheSameName_IsErrorBecauseTheyShareSlashNames()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/commands/deploy.md", "Deploy.\n")
            .File("p/skills/deploy/SKILL.md", "---\nname: deploy\ndescription: Deploys.\n---\n")
            .Load();

        Assert.Equal(2, result.WithCode("duplicate-name").Count);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Load_TwoPluginsWithTheSameName_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("one", "same")
            .Plugin("two", "same")
            .Load();

        Assert.Equal(["one/.claude-plugin/plugin.json", "two/.claude-plugin/plugin.json"], result.WithCode("duplicate-name").Select(d => d.File));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Load_SymbolicLinkPointingOutOfTheRepository_IsError()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .Link("p/agents/secrets.md", "../../../etc/passwd")
            .Agent("p/agents/ok.md", "ok")
            .Load();

        result.SingleError("path-escapes-repository", "p/agents/secrets.md");
        Assert.Equal(["ok"], result.Plugin("p").Agents.Select(a => a.Name));
    }

    [Fact]
    public void Load_SymbolicLinkWithAbsoluteTarget_IsError()
    {
        var result = new TreeBuilder().Plugin("p", "p").Link("p/skills", "/home/me/skills").Load();

        result.SingleError("path-escapes-repository", "p/skills");
    }

    [Fact]
    public void Load_SymbolicLinksInsideTheRepository_AreFollowed()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .Agent("shared/library/common.md", "common")
            .Link("p/agents", "../shared/library")
            .File("shared/guide.md", "---\ndescription: Shared guide\n---\nGuide.\n")
            .Link("p/commands/guide.md", "../../shared/guide.md")
            .Load();

        result.AssertClean();
        var plugin = result.Plugin("p");
        Assert.Equal("p/agents/common.md", Assert.Single(plugin.Agents).File);
        Assert.Equal("Shared guide", Assert.Single(plugin.Commands).Description);
    }

    [Fact]
    public void Load_ComponentPathThroughSymbolicLinkOutOfTheRepository_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": "./linked/agents" """)
            .Link("p/linked", "../../outside")
            .Load();

        result.SingleError("path-escapes-repository", "p/.claude-plugin/plugin.json");
        result.SingleError("path-escapes-repository", "p/linked");
    }

    [Fact]
    public void Load_SymbolicLinkLoop_WarnsPathNotFound()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": "./a" """)
            .Link("p/a", "b")
            .Link("p/b", "a")
            .Load();

        result.SingleWarning("path-not-found", "p/.claude-plugin/plugin.json");
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_FileOverTheSizeLimit_IsErrorAndTheRestOfThePluginLoads()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/agents/huge.md", "---\nname: huge\ndescription: Huge.\n---\n" + new string('x', 2048))
            .Agent("p/agents/small.md", "small")
            .Load(new PluginLoadOptions { MaxFileBytes = 1024 });

        var error = result.SingleError("file-too-large", "p/agents/huge.md");
        Assert.Contains("1,024", error.Message, StringComparison.Ordinal);
        Assert.Equal(["small"], result.Plugin("p").Agents.Select(a => a.Name));
    }

    [Fact]
    public void Load_DefaultSizeLimit_IsOneMebibyte()
    {
        var atLimit = new string('x', PluginLoadOptions.DefaultMaxFileBytes);
        var result = new TreeBuilder()
            .File("assets/at-limit.txt", atLimit)
            .File("assets/over-limit.txt", atLimit + "x")
            .Load();

        Assert.Equal(1024 * 1024, PluginLoadOptions.DefaultMaxFileBytes);
        result.SingleError("file-too-large", "assets/over-limit.txt");
    }

    [Fact]
    public void Load_OneBrokenFileInEachComponent_NeverDropsThePlugin()
    {
        var result = new TreeBuilder()
            .File("p/.claude-plugin/plugin.json", "{ broken")
            .File("p/agents/broken.md", "---\nname: broken\ndescription: x: y: z\ntools: [Read, Grep\n---\n")
            .Agent("p/agents/fine.md", "fine")
            .File("p/skills/s/SKILL.md", "---\n: : :\n---\n")
            .File("p/commands/c.md", "---\n---\n")
            .File("p/.mcp.json", "[1, 2]")
            .Load();

        Assert.True(result.IsValid);
        var plugin = result.Plugin("p");
        Assert.Equal(["broken", "fine"], plugin.Agents.Select(a => a.Name));
        Assert.Equal(["Read", "Grep"], plugin.Agents[0].Tools);
        Assert.Single(plugin.Skills);
        Assert.Single(plugin.Commands);
        Assert.Null(plugin.McpServers);
    }
}
