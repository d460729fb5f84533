namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class ComponentPathTests
{
    [Fact]
    public void Load_ManifestAgentsPath_ReplacesDefaultAgentsFolder()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": "./custom/agents/" """)
            .Agent("p/agents/default.md", "default")
            .Agent("p/custom/agents/special.md", "special")
            .Load();

        result.AssertClean();
        Assert.Equal(["p:special"], result.Plugin("p").Agents.Select(a => a.QualifiedName));
    }

    [Fact]
    public void Load_ManifestCommandsListOfFileAndFolder_ReplacesDefaultCommandsFolder()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "commands": ["./extra/one.md", "./more"] """)
            .File("p/commands/default.md", "Default.\n")
            .File("p/extra/one.md", "One.\n")
            .File("p/extra/not-listed.md", "Not listed.\n")
            .File("p/more/two.md", "Two.\n")
            .File("p/more/deeper/three.md", "Three.\n")
            .Load();

        result.AssertClean();
        Assert.Equal(["one", "three", "two"], result.Plugin("p").Commands.Select(c => c.Name));
    }

    [Fact]
    public void Load_ManifestSkillsPaths_AddToDefaultSkillsFolder()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "skills": ["./bundle", "./single/lone", "./direct/SKILL.md"] """)
            .File("p/skills/base/SKILL.md", "---\nname: base\ndescription: Base.\n---\n")
            .File("p/bundle/first/SKILL.md", "---\nname: first\ndescription: First.\n---\n")
            .File("p/bundle/second/SKILL.md", "---\nname: second\ndescription: Second.\n---\n")
            .File("p/single/lone/SKILL.md", "---\nname: lone\ndescription: Lone.\n---\n")
            .File("p/direct/SKILL.md", "---\nname: direct\ndescription: Direct.\n---\n")
            .Load();

        result.AssertClean();
        Assert.Equal(["base", "direct", "first", "lone", "second"], result.Plugin("p").Skills.Select(s => s.Name));
        Assert.Equal("p/bundle/first", result.Plugin("p").Skills.Single(s => s.Name == "first").Folder);
    }

    [Fact]
    public void Load_MarketplaceEntryComponentPaths_AreHonoured()
    {
        var result = new TreeBuilder()
            .File(".claude-plugin/marketplace.json", """
                { "name": "m", "plugins": [ { "name": "p", "source": "./p", "strict": false,
                  "agents": ["./roles/a.md"], "commands": "./cmds" } ] }
                """)
            .Agent("p/roles/a.md", "a")
            .Agent("p/agents/ignored.md", "ignored")
            .File("p/cmds/run.md", "Run.\n")
            .Load();

        result.AssertClean();
        Assert.Equal(["a"], result.Plugin("p").Agents.Select(a => a.Name));
        Assert.Equal(["run"], result.Plugin("p").Commands.Select(c => c.Name));
    }

    [Fact]
    public void Load_ComponentPathWithoutDotSlash_WarnsAndLoads()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": "roles" """)
            .Agent("p/roles/a.md", "a")
            .Load();

        result.SingleWarning("component-path-invalid", "p/.claude-plugin/plugin.json");
        Assert.Equal(["a"], result.Plugin("p").Agents.Select(a => a.Name));
    }

    [Fact]
    public void Load_ComponentPathIntoAnotherPlugin_WarnsAndIgnoresIt()
    {
        var result = new TreeBuilder()
            .Plugin("plugins/p", "p", """, "agents": "./../q/agents" """)
            .Plugin("plugins/q", "q").Agent("plugins/q/agents/theirs.md", "theirs")
            .Load();

        result.SingleWarning("component-path-invalid", "plugins/p/.claude-plugin/plugin.json");
        Assert.Empty(result.Plugin("p").Agents);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_ComponentPathClimbingOutOfRepository_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "commands": "./../../etc" """)
            .Load();

        result.SingleError("path-escapes-repository", "p/.claude-plugin/plugin.json");
        Assert.Empty(result.Plugin("p").Commands);
    }

    [Fact]
    public void Load_ComponentPathAbsolute_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": "/home/me/agents" """)
            .Load();

        result.SingleError("path-escapes-repository", "p/.claude-plugin/plugin.json");
    }

    [Fact]
    public void Load_ComponentPathNamingNothing_WarnsPathNotFound()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": ["./missing.md"] """)
            .Load();

        result.SingleWarning("path-not-found", "p/.claude-plugin/plugin.json");
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_ComponentPathOfWrongType_WarnsAndUsesDefaultFolder()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "agents": 42 """)
            .Agent("p/agents/a.md", "a")
            .Load();

        result.SingleWarning("component-path-invalid", "p/.claude-plugin/plugin.json");
        Assert.Equal(["a"], result.Plugin("p").Agents.Select(a => a.Name));
    }
}
