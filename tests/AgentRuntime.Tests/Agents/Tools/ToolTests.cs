using Evergreen.AgentRuntime.Agents.Tools;

namespace Evergreen.AgentRuntime.Tests.Agents.Tools;

/// <summary>The Claude Code tools over the test plugin's captured files and a run's overlay.</summary>
public sealed class ToolTests
{
    private readonly PluginWorkspace _workspace = new(TestPlugin.Plugin, TestPlugin.Files, maxFileBytes: 4096);
    private readonly ToolCatalog _catalog = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Read_PluginOrRepositoryRelativePath_ReturnsNumberedLines()
    {
        var pluginRelative = await CallAsync("Read", ("file_path", "README.md"));
        var repoRelative = await CallAsync("Read", ("file_path", $"{TestPlugin.Root}/README.md"));
        var windowed = await CallAsync("Read", ("file_path", "./README.md"), ("offset", 2), ("limit", 1));

        Assert.Equal("     1\t# Code review\n     2\tThe TODO list lives here.\n     3\tTODO: more checks\n", pluginRelative);
        Assert.Equal(pluginRelative, repoRelative);
        Assert.StartsWith("     2\tThe TODO list lives here.\n(lines 2-2 of 3", windowed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../other/secret.md")]
    [InlineData("docs/../../other/secret.md")]
    [InlineData("/../../plugins/other/secret.md")]
    public async Task Read_PathLeavingThePlugin_IsRefused(string path)
    {
        var error = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Read", ("file_path", path)));

        Assert.Contains("leaves the plugin folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_OtherPluginsFileByRepositoryPath_IsNotFound()
    {
        var error = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Read", ("file_path", "plugins/other/secret.md")));

        Assert.Contains("File not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Glob_Patterns_ListPluginRelativePathsIncludingNewFiles()
    {
        await CallAsync("Write", ("file_path", "agents/new.md"), ("content", "new agent\n"));

        Assert.Equal("agents/new.md\nagents/reader.md\nagents/reviewer.md\n", await CallAsync("Glob", ("pattern", "agents/*.md")));
        Assert.Equal("skills/style/SKILL.md\n", await CallAsync("Glob", ("pattern", "**/SKILL.md")));
        Assert.Equal("README.md\ndocs/guide.md\n", await CallAsync("Glob", ("pattern", "{README,docs/guide}.md")));
        Assert.Equal("docs/guide.md\n", await CallAsync("Glob", ("pattern", "*.md"), ("path", "docs")));
        Assert.Equal("No files found.", await CallAsync("Glob", ("pattern", "**/secret.md")));
    }

    [Fact]
    public async Task Grep_Modes_FindMatchesInThePluginOnly()
    {
        Assert.Equal("README.md\n", await CallAsync("Grep", ("pattern", "TODO")));
        Assert.Equal("README.md\ndocs/guide.md\n", await CallAsync("Grep", ("pattern", "todo"), ("-i", true)));
        Assert.Equal("README.md:2:The TODO list lives here.\nREADME.md:3:TODO: more checks\n",
            await CallAsync("Grep", ("pattern", "TODO"), ("output_mode", "content")));
        Assert.Equal("docs/guide.md:2\n", await CallAsync("Grep", ("pattern", "(?i)guide line"), ("output_mode", "count"), ("glob", "*.md")));
        Assert.Equal("No matches found.", await CallAsync("Grep", ("pattern", "secret")));
        var invalid = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Grep", ("pattern", "(unclosed")));
        Assert.Contains("not a valid regular expression", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Edit_UniqueString_ChangesTheOverlayThatReadThenSees()
    {
        var output = await CallAsync("Edit", ("file_path", "docs/guide.md"), ("old_string", "line one"), ("new_string", "line 1"));

        Assert.Contains("replaced 1 occurrence", output, StringComparison.Ordinal);
        Assert.Contains("Guide line 1", await CallAsync("Read", ("file_path", "docs/guide.md")), StringComparison.Ordinal);
        var change = Assert.Single(await _workspace.GetChangesAsync(Token));
        Assert.Equal(($"{TestPlugin.Root}/docs/guide.md", "Guide line 1\nguide line two\ntodo lowercase\n"), (change.Path, change.Content));
    }

    [Fact]
    public async Task Edit_AmbiguousMissingOrNoOpStrings_AreRefusedAndChangeNothing()
    {
        var ambiguous = await Assert.ThrowsAsync<ToolException>(() =>
            CallAsync("Edit", ("file_path", "README.md"), ("old_string", "TODO"), ("new_string", "DONE")));
        var missing = await Assert.ThrowsAsync<ToolException>(() =>
            CallAsync("Edit", ("file_path", "README.md"), ("old_string", "absent"), ("new_string", "x")));
        var noop = await Assert.ThrowsAsync<ToolException>(() =>
            CallAsync("Edit", ("file_path", "README.md"), ("old_string", "TODO"), ("new_string", "TODO")));

        Assert.Contains("occurs 2 times", ambiguous.Message, StringComparison.Ordinal);
        Assert.Contains("not found", missing.Message, StringComparison.Ordinal);
        Assert.Contains("the same", noop.Message, StringComparison.Ordinal);
        Assert.Empty(await _workspace.GetChangesAsync(Token));

        await CallAsync("Edit", ("file_path", "README.md"), ("old_string", "TODO"), ("new_string", "DONE"), ("replace_all", true));
        Assert.Equal("# Code review\nThe DONE list lives here.\nDONE: more checks\n", Assert.Single(await _workspace.GetChangesAsync(Token)).Content);
    }

    [Fact]
    public async Task Write_SameContentOrEscapingPath_ProposesNothing()
    {
        await CallAsync("Write", ("file_path", "docs/guide.md"), ("content", TestPlugin.RepositoryFiles[$"{TestPlugin.Root}/docs/guide.md"]));
        var escape = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Write", ("file_path", "../other/secret.md"), ("content", "mine")));
        var tooLarge = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Write", ("file_path", "big.md"), ("content", new string('x', 5000))));

        Assert.Contains("leaves the plugin folder", escape.Message, StringComparison.Ordinal);
        Assert.Contains("larger than the 4096 bytes", tooLarge.Message, StringComparison.Ordinal);
        Assert.Empty(await _workspace.GetChangesAsync(Token));
    }

    [Fact]
    public async Task Skill_ByNameOrQualifiedName_ReturnsItsBody()
    {
        Assert.Contains("Use tabs. Never semicolons.", await CallAsync("Skill", ("skill", "style")), StringComparison.Ordinal);
        Assert.Contains("Use tabs.", await CallAsync("Skill", ("skill", "code-review:style")), StringComparison.Ordinal);
        var unknown = await Assert.ThrowsAsync<ToolException>(() => CallAsync("Skill", ("skill", "pdf")));
        Assert.Contains("Skills of 'code-review': style", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_ClaudeCodeToolLists_MatchBaseNamesAndIgnoreUnknownTools()
    {
        Assert.Equal(["Read", "Glob", "Grep", "Write", "Edit", "Skill"], _catalog.Select(null, allowWrites: true, out _).Select(t => t.Name));
        Assert.Empty(_catalog.Select([], allowWrites: true, out _));

        var selected = _catalog.Select(["Read(*)", "Bash(git:*)", "edit", "mcp__github__create_issue", "WebFetch"], allowWrites: true, out var ignored);

        Assert.Equal(["Read", "Edit"], selected.Select(t => t.Name));
        Assert.Equal(["Bash(git:*)", "mcp__github__create_issue", "WebFetch"], ignored);
        Assert.Equal(["Read"], _catalog.Select(["Read", "Write"], allowWrites: false, out _).Select(t => t.Name));
    }

    private async Task<string> CallAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        var implementation = _catalog.All.Single(t => t.Name == tool);
        var values = arguments.ToDictionary(a => a.Name, a => a.Value);
        return await implementation.InvokeAsync(new ToolArguments(tool, values), new ToolContext(_workspace), Token);
    }
}
