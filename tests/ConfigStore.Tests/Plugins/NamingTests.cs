using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class NamingTests
{
    private static readonly PluginLoadOptions Strict = new() { Strict = true };

    [Fact]
    public void Load_AgentNameDiffersFromFileName_FrontmatterNameWinsWithWarning()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .Agent("p/agents/code-reviewer.md", "reviewer")
            .Load();

        var warning = result.SingleWarning("agent-name-mismatch", "p/agents/code-reviewer.md");
        Assert.Equal(2, warning.Line);
        var agent = Assert.Single(result.Plugin("p").Agents);
        Assert.Equal("reviewer", agent.Name);
        Assert.Equal("p:reviewer", agent.QualifiedName);
    }

    [Fact]
    public void Load_AgentWithoutFrontmatterName_NamedAfterFileWithWarning()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/agents/planner.md", "---\ndescription: Plans.\n---\nPlan.\n")
            .Load();

        result.SingleWarning("name-missing", "p/agents/planner.md");
        Assert.Equal("p:planner", Assert.Single(result.Plugin("p").Agents).QualifiedName);
    }

    [Fact]
    public void Load_AgentWithNeitherNameNorFileName_IsError()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/agents/.md", "---\ndescription: Nobody.\n---\n")
            .Agent("p/agents/kept.md", "kept")
            .Load();

        result.SingleError("agent-unnamed", "p/agents/.md");
        Assert.Equal(["kept"], result.Plugin("p").Agents.Select(a => a.Name));
    }

    [Fact]
    public void Load_AgentWithoutDescription_WarnsAndLoads()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/agents/quiet.md", "---\nname: quiet\n---\nShh.\n")
            .Load();

        result.SingleWarning("description-missing", "p/agents/quiet.md");
        Assert.Null(Assert.Single(result.Plugin("p").Agents).Description);
    }

    [Fact]
    public void Load_SkillNameDiffersFromFolder_WarnsAndFrontmatterNameWins()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/style-guide/SKILL.md", "---\nname: house-style\ndescription: The house style.\n---\nRules.\n")
            .Load();

        result.SingleWarning("skill-name-mismatch", "p/skills/style-guide/SKILL.md");
        var skill = Assert.Single(result.Plugin("p").Skills);
        Assert.Equal("house-style", skill.Name);
        Assert.Equal("p/skills/style-guide", skill.Folder);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_SkillNameDiffersFromFolderUnderStrictProfile_IsError()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/style-guide/SKILL.md", "---\nname: house-style\ndescription: The house style.\n---\nRules.\n")
            .Load(Strict);

        result.SingleError("skill-name-mismatch", "p/skills/style-guide/SKILL.md");
        Assert.Single(result.Plugin("p").Skills);
    }

    [Theory]
    [InlineData("Style_Guide", "The house style.")]
    [InlineData("-style", "The house style.")]
    [InlineData("style--guide", "The house style.")]
    [InlineData("a-very-long-skill-name-that-goes-on-and-on-well-past-the-sixty-four-limit", "The house style.")]
    [InlineData("style", "")]
    public void Load_SkillBreakingTheSpecUnderStrictProfile_IsError(string name, string description)
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File($"p/skills/{name}/SKILL.md", $"---\nname: {name}\ndescription: \"{description}\"\n---\nRules.\n")
            .Load(Strict);

        Assert.False(result.IsValid);
        Assert.All(result.Diagnostics, d => Assert.Equal(("skill-spec", DiagnosticSeverity.Error), (d.Code, d.Severity)));
    }

    [Fact]
    public void Load_SkillDescriptionOver1024CharactersUnderDefaultProfile_IsOnlyAWarning()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/style/SKILL.md", $"---\nname: style\ndescription: {new string('x', 1025)}\n---\n")
            .Load();

        result.SingleWarning("skill-spec", "p/skills/style/SKILL.md");
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_SkillOptionalFieldsBreakingTheSpecUnderStrictProfile_AreErrors()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/style/SKILL.md", $"---\nname: style\ndescription: Style.\ncompatibility: {new string('c', 501)}\nmetadata:\n  version: 1.0\n---\n")
            .Load(Strict);

        Assert.Equal(2, result.WithCode("skill-spec").Count(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Load_SpecCleanSkillUnderStrictProfile_IsValid()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/pdf-processing/SKILL.md", "---\nname: pdf-processing\ndescription: Extract text from PDFs. Use when handling PDFs.\nlicense: Apache-2.0\ncompatibility: Needs Python 3.11\nmetadata:\n  author: example-org\n  version: \"1.0\"\nallowed-tools: Bash(python3:*) Read\n---\n# PDF\n")
            .Load(Strict);

        result.AssertClean();
        Assert.Equal(["Bash(python3:*)", "Read"], Assert.Single(result.Plugin("p").Skills).AllowedTools);
    }

    [Fact]
    public void Load_SkillWithoutNameUnderDefaultProfile_NamedAfterFolderWithWarning()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/tips/SKILL.md", "---\ndescription: Tips.\n---\n")
            .Load();

        result.SingleWarning("skill-spec", "p/skills/tips/SKILL.md");
        Assert.Equal("p:tips", Assert.Single(result.Plugin("p").Skills).QualifiedName);
    }

    [Fact]
    public void Load_SkillFileNotNamedExactlySkillMd_WarnsAndIsNotLoaded()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/skills/tips/skill.md", "---\nname: tips\ndescription: Tips.\n---\n")
            .Load();

        result.SingleWarning("component-ignored", "p/skills/tips/skill.md");
        Assert.Empty(result.Plugin("p").Skills);
    }
}
