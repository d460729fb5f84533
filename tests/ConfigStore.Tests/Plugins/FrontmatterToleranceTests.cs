using System.Text;
using System.Text.Json;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>Each messy file real plugins contain must load; the ones that are not clean carry a warning.</summary>
public sealed class FrontmatterToleranceTests
{
    private const string AgentFile = "p/agents/helper.md";

    private static PluginLoadResultView LoadAgent(string content) => new(new TreeBuilder().Plugin("p", "p").File(AgentFile, content).Load());

    [Fact]
    public void Load_DescriptionWithUnquotedColon_FallsBackToLineReaderWithWarning()
    {
        var view = LoadAgent("---\nname: helper\ndescription: Use when: the user asks for help\ntools: Read, Grep\n---\nBody.\n");

        var warning = view.Result.SingleWarning("frontmatter-fallback", AgentFile);
        Assert.Equal(3, warning.Line);
        Assert.Equal("Use when: the user asks for help", view.Agent.Description);
        Assert.Equal(["Read", "Grep"], view.Agent.Tools);
        Assert.Equal("Body.\n", view.Agent.Body);
        Assert.True(view.Result.IsValid);
    }

    [Fact]
    public void Load_DescriptionWithUnindentedContinuationAndExampleBlocks_KeepsThemInTheDescription()
    {
        var view = LoadAgent("""
            ---
            name: helper
            description: Use this agent after a change is finished. Examples:
            <example>
            Context: The user finished a feature.
            user: "Check my retry logic"
            assistant: "I'll use the helper agent."
            <commentary>
            A finished change: exactly what the helper is for.
            </commentary>
            </example>
            Note: it never edits files.
            model: sonnet
            color: magenta
            ---
            You help.
            """);

        view.Result.SingleWarning("frontmatter-fallback", AgentFile);
        var description = view.Agent.Description!;
        Assert.StartsWith("Use this agent after a change is finished. Examples:\n<example>\nContext: The user finished a feature.", description, StringComparison.Ordinal);
        Assert.Contains("user: \"Check my retry logic\"", description, StringComparison.Ordinal);
        Assert.EndsWith("</example>\nNote: it never edits files.", description, StringComparison.Ordinal);
        Assert.Equal("sonnet", view.Agent.Model);
        Assert.Equal("magenta", view.Agent.Frontmatter["color"].GetString());
        Assert.False(view.Agent.Frontmatter.ContainsKey("user"));
        Assert.False(view.Agent.Frontmatter.ContainsKey("Context"));
    }

    [Fact]
    public void Load_OneLineDescriptionWithEscapedNewlines_ShowsThemAsLineBreaks()
    {
        var view = LoadAgent("---\nname: helper\ndescription: Use it to review. Examples:\\n\\n<example>\\nContext: A diff.\\nuser: \"Review this\"\\n</example>\ntools: Read\n---\nBody\n");

        view.Result.SingleWarning("frontmatter-fallback", AgentFile);
        Assert.Equal("Use it to review. Examples:\n\n<example>\nContext: A diff.\nuser: \"Review this\"\n</example>", view.Agent.Description);
        Assert.Equal(["Read"], view.Agent.Tools);
    }

    [Fact]
    public void Load_ArgumentHintPlaceholderInFallback_DoesNotSwallowLaterKeys()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/commands/greet.md", "---\ndescription: Greet: someone\nargument-hint: <name>\nallowed-tools: Bash(echo:*)\n---\nSay hello to $ARGUMENTS.\n")
            .Load();

        result.SingleWarning("frontmatter-fallback", "p/commands/greet.md");
        var command = Assert.Single(result.Plugin("p").Commands);
        Assert.Equal("<name>", command.ArgumentHint);
        Assert.Equal(["Bash(echo:*)"], command.AllowedTools);
    }

    [Fact]
    public void Load_CommandWithoutFrontmatter_NamedAfterFileAndDescribedByFirstLine()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/commands/changelog.md", "\n\n# Write release notes for $ARGUMENTS\n\n1. List the commits.\n")
            .Load();

        result.AssertClean();
        var command = Assert.Single(result.Plugin("p").Commands);
        Assert.Equal("changelog", command.Name);
        Assert.Equal("p:changelog", command.QualifiedName);
        Assert.Equal("Write release notes for $ARGUMENTS", command.Description);
        Assert.Equal("# Write release notes for $ARGUMENTS\n\n1. List the commits.\n", command.Body);
        Assert.Empty(command.Frontmatter);
        Assert.Null(command.AllowedTools);
    }

    [Theory]
    [InlineData("tools: Read, Grep, Glob", new[] { "Read", "Grep", "Glob" })]
    [InlineData("tools: Read Grep Glob", new[] { "Read", "Grep", "Glob" })]
    [InlineData("tools:\n  - Read\n  - Grep\n  - Glob", new[] { "Read", "Grep", "Glob" })]
    [InlineData("tools: [Read, Grep, Glob]", new[] { "Read", "Grep", "Glob" })]
    [InlineData("tools: [\"Read\", \"Grep\", \"Glob\"]", new[] { "Read", "Grep", "Glob" })]
    [InlineData("tools: Bash(git diff:*), Bash(git log:*), Read", new[] { "Bash(git diff:*)", "Bash(git log:*)", "Read" })]
    [InlineData("tools: Bash(git diff:*) Read", new[] { "Bash(git diff:*)", "Read" })]
    public void Load_ToolsInEveryWrittenForm_ParsesToTheSameList(string toolsLine, string[] expected)
    {
        var view = LoadAgent($"---\nname: helper\ndescription: Helps.\n{toolsLine}\n---\nBody\n");

        view.Result.AssertClean();
        Assert.Equal(expected, view.Agent.Tools);
    }

    [Fact]
    public void Load_ToolsEmptyList_MeansNoToolsWhileAbsentMeansAll()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/agents/none.md", "---\nname: none\ndescription: No tools.\ntools: []\n---\n")
            .File("p/agents/all.md", "---\nname: all\ndescription: Every tool.\n---\n")
            .Load();

        result.AssertClean();
        var agents = result.Plugin("p").Agents;
        Assert.NotNull(agents.Single(a => a.Name == "none").Tools);
        Assert.Empty(agents.Single(a => a.Name == "none").Tools!);
        Assert.Null(agents.Single(a => a.Name == "all").Tools);
    }

    [Fact]
    public void Load_ToolsKeyWithoutValue_ReadAsAbsentWithWarning()
    {
        var view = LoadAgent("---\nname: helper\ndescription: Helps.\ntools:\n---\n");

        view.Result.SingleWarning("frontmatter-value-coerced", AgentFile);
        Assert.Null(view.Agent.Tools);
    }

    [Fact]
    public void Load_ArgumentHintParsedAsYamlList_TurnedBackIntoText()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/commands/review.md", "---\ndescription: Review\nargument-hint: [path | git range]\n---\nReview $ARGUMENTS\n")
            .Load();

        var warning = result.SingleWarning("frontmatter-value-coerced", "p/commands/review.md");
        Assert.Equal(3, warning.Line);
        var command = Assert.Single(result.Plugin("p").Commands);
        Assert.Equal("[path | git range]", command.ArgumentHint);
        Assert.Equal(JsonValueKind.Array, command.Frontmatter["argument-hint"].ValueKind);
    }

    [Theory]
    [InlineData(">", "Reviews code changes for correctness and clarity.\nSecond paragraph.\n")]
    [InlineData(">-", "Reviews code changes for correctness and clarity.\nSecond paragraph.")]
    [InlineData("|", "Reviews code changes\nfor correctness and clarity.\n\nSecond paragraph.\n")]
    public void Load_BlockScalarDescription_FoldedOrLiteralAsYamlSays(string indicator, string expected)
    {
        var view = LoadAgent($"---\nname: helper\ndescription: {indicator}\n  Reviews code changes\n  for correctness and clarity.\n\n  Second paragraph.\nmodel: inherit\n---\nBody\n");

        view.Result.AssertClean();
        Assert.Equal(expected, view.Agent.Description);
        Assert.Equal("inherit", view.Agent.Model);
    }

    [Fact]
    public void Load_MultiKilobyteDescription_IsKeptWhole()
    {
        var sentence = "Use this agent for long, careful reviews of distributed systems code. ";
        var description = string.Concat(Enumerable.Repeat(sentence, 120));
        var view = LoadAgent($"---\nname: helper\ndescription: \"{description}\"\n---\nBody\n");

        view.Result.AssertClean();
        Assert.True(description.Length > 8000);
        Assert.Equal(description, view.Agent.Description);
    }

    [Fact]
    public void Load_NonAsciiText_RoundTripsUnchanged()
    {
        var view = LoadAgent("---\nname: helper\ndescription: Reviews — carefully — « guillemets », naïve café, 日本語 and 🚀 emoji\n---\nRéponds en français 🎉\n");

        view.Result.AssertClean();
        Assert.Equal("Reviews — carefully — « guillemets », naïve café, 日本語 and 🚀 emoji", view.Agent.Description);
        Assert.Equal("Réponds en français 🎉\n", view.Agent.Body);
    }

    [Fact]
    public void Load_UnknownKeys_AreKeptInTheFrontmatterDictionary()
    {
        var view = LoadAgent("---\nname: helper\ndescription: Helps.\nversion: 1.0\ntags: [review, quality]\nglobs: \"**/*.cs\"\ntool_access: read-only\ncolor: magenta\nmetadata:\n  owner: platform\n  tier: 2\n---\n");

        view.Result.AssertClean();
        var frontmatter = view.Agent.Frontmatter;
        Assert.Equal("1.0", frontmatter["version"].GetRawText());
        Assert.Equal(["review", "quality"], frontmatter["tags"].EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("**/*.cs", frontmatter["globs"].GetString());
        Assert.Equal("read-only", frontmatter["tool_access"].GetString());
        Assert.Equal("magenta", frontmatter["color"].GetString());
        Assert.Equal(2, frontmatter["metadata"].GetProperty("tier").GetInt32());
        Assert.Equal(["color", "description", "globs", "metadata", "name", "tags", "tool_access", "version"], frontmatter.Keys);
    }

    [Fact]
    public void Load_CrlfLineEndings_ParseLikeLf()
    {
        var view = LoadAgent("---\r\nname: helper\r\ndescription: |\r\n  Line one.\r\n  Line two.\r\ntools: Read, Grep\r\n---\r\nBody line.\r\nSecond line.\r\n");

        view.Result.AssertClean();
        Assert.Equal("Line one.\nLine two.\n", view.Agent.Description);
        Assert.Equal(["Read", "Grep"], view.Agent.Tools);
        Assert.Equal("Body line.\nSecond line.\n", view.Agent.Body);
    }

    [Fact]
    public void Load_Utf8ByteOrderMark_IsIgnored()
    {
        var content = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("---\nname: helper\ndescription: Helps.\n---\nBody\n")).ToArray();
        var result = new TreeBuilder().Plugin("p", "p").Bytes(AgentFile, content).Load();

        result.AssertClean();
        var agent = Assert.Single(result.Plugin("p").Agents);
        Assert.Equal("helper", agent.Name);
        Assert.Equal("Helps.", agent.Description);
    }

    [Fact]
    public void Load_UnclosedFrontmatter_WholeFileIsBodyWithWarning()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/commands/broken.md", "---\ndescription: never closed\n\nDo the thing.\n")
            .Load();

        var warning = result.SingleWarning("frontmatter-unclosed", "p/commands/broken.md");
        Assert.Equal(1, warning.Line);
        var command = Assert.Single(result.Plugin("p").Commands);
        Assert.Equal("broken", command.Name);
        Assert.StartsWith("---\ndescription: never closed", command.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RepeatedKey_FallsBackAndLastValueWins()
    {
        var view = LoadAgent("---\nname: helper\ndescription: First.\ndescription: Second.\n---\n");

        view.Result.SingleWarning("frontmatter-fallback", AgentFile);
        Assert.Equal("Second.", view.Agent.Description);
    }

    [Fact]
    public void Load_InvalidUtf8_LoadsWithReplacementCharactersAndWarning()
    {
        var content = Encoding.UTF8.GetBytes("---\nname: helper\ndescription: Bad byte here: ").Concat(new byte[] { 0xFF }).Concat(Encoding.UTF8.GetBytes("\n---\n")).ToArray();
        var result = new TreeBuilder().Plugin("p", "p").Bytes(AgentFile, content).Load();

        result.SingleWarning("file-not-text", AgentFile);
        Assert.Equal("helper", Assert.Single(result.Plugin("p").Agents).Name);
    }

    private sealed record PluginLoadResultView(Evergreen.ConfigStore.Plugins.PluginLoadResult Result)
    {
        public Evergreen.Contracts.Snapshots.AgentDefinition Agent => Assert.Single(Result.Plugin("p").Agents);
    }
}
