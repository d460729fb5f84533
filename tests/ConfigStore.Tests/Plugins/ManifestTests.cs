namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class ManifestTests
{
    [Fact]
    public void Load_PluginJsonWithExtraFields_KeepsThemAsMetadata()
    {
        var result = new TreeBuilder()
            .File("p/.claude-plugin/plugin.json", """
                { "name": "p", "version": "2.1.0", "description": "Does things.",
                  "license": "MIT", "keywords": ["a", "b"], "homepage": "https://example.com", "x-internal": { "team": "platform" },
                  "outputStyles": "./styles/", "lspServers": "./.lsp.json" }
                """)
            .Load();

        result.AssertClean();
        var plugin = result.Plugin("p");
        Assert.Equal("2.1.0", plugin.Version);
        Assert.Equal("Does things.", plugin.Description);
        Assert.Equal(["homepage", "keywords", "license", "lspServers", "outputStyles", "x-internal"], plugin.Metadata.Keys);
        Assert.Equal("platform", plugin.Metadata["x-internal"].GetProperty("team").GetString());
    }

    [Fact]
    public void Load_AuthorAsString_BecomesAuthorName()
    {
        var result = new TreeBuilder().Plugin("p", "p", """, "author": "Jane Doe" """).Load();

        result.AssertClean();
        Assert.Equal("Jane Doe", result.Plugin("p").Author!.Name);
        Assert.Null(result.Plugin("p").Author!.Email);
    }

    [Fact]
    public void Load_AuthorAsObject_KeepsNameEmailAndUrl()
    {
        var result = new TreeBuilder().Plugin("p", "p", """, "author": { "name": "Jane", "email": "jane@example.com", "url": "https://jane.dev" } """).Load();

        result.AssertClean();
        Assert.Equal(("Jane", "jane@example.com", "https://jane.dev"), (result.Plugin("p").Author!.Name, result.Plugin("p").Author!.Email, result.Plugin("p").Author!.Url));
    }

    [Fact]
    public void Load_BrokenPluginJson_PluginStillLoadsNamedAfterFolder()
    {
        var result = new TreeBuilder()
            .File("tools/helper/.claude-plugin/plugin.json", "{ \"name\": \"helper\",\n  \"version\": 1.0.0 }")
            .Agent("tools/helper/agents/a.md", "a")
            .Load();

        var warning = result.SingleWarning("manifest-invalid", "tools/helper/.claude-plugin/plugin.json");
        Assert.Equal(2, warning.Line);
        Assert.Equal("helper:a", Assert.Single(result.Plugin("helper").Agents).QualifiedName);
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Load_PluginJsonWithCommentsAndTrailingCommas_IsAccepted()
    {
        var result = new TreeBuilder()
            .File("p/.claude-plugin/plugin.json", "{\n  // the plugin\n  \"name\": \"p\",\n  \"keywords\": [\"a\",],\n}\n")
            .Load();

        result.AssertClean();
        Assert.Equal("p", Assert.Single(result.Plugins).Name);
    }

    [Fact]
    public void Load_MarketplaceNameDiffersFromPluginJson_MarketplaceNameWinsWithWarning()
    {
        var result = new TreeBuilder()
            .File(".claude-plugin/marketplace.json", """{ "name": "m", "plugins": [ { "name": "listed", "source": "./p", "version": "1.0.0", "category": "dev" } ] }""")
            .Plugin("p", "declared")
            .Load();

        result.SingleWarning("manifest-conflict", "p/.claude-plugin/plugin.json");
        Assert.Equal("listed", Assert.Single(result.Plugins).Name);
        Assert.Equal("dev", result.Plugin("listed").Metadata["category"].GetString());
    }

    [Fact]
    public void Load_HooksJson_IsKeptAsData()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/hooks/hooks.json", """{ "description": "Greets.", "hooks": { "SessionStart": [ { "hooks": [ { "type": "command", "command": "echo hi" } ] } ] } }""")
            .Load();

        result.AssertClean();
        var plugin = result.Plugin("p");
        Assert.Equal("p/hooks/hooks.json", plugin.HooksFile);
        Assert.Equal("echo hi", plugin.Hooks!.Value.GetProperty("hooks").GetProperty("SessionStart")[0].GetProperty("hooks")[0].GetProperty("command").GetString());
    }

    [Fact]
    public void Load_McpJsonWrappedInMcpServers_NormalizesToServerMap()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/.mcp.json", """{ "mcpServers": { "git": { "command": "uvx", "args": ["mcp-server-git"] } } }""")
            .Load();

        result.AssertClean();
        Assert.Equal("uvx", result.Plugin("p").McpServers!.Value.GetProperty("git").GetProperty("command").GetString());
        Assert.Equal("p/.mcp.json", result.Plugin("p").McpServersFile);
    }

    [Fact]
    public void Load_McpJsonInBareForm_NormalizesToTheSameServerMap()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/.mcp.json", """{ "git": { "command": "uvx", "args": ["mcp-server-git"] } }""")
            .Load();

        result.AssertClean();
        Assert.Equal(["git"], result.Plugin("p").McpServers!.Value.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Load_InlineMcpServersAndHooksPathInPluginJson_AreUsed()
    {
        var result = new TreeBuilder()
            .Plugin("p", "p", """, "mcpServers": { "db": { "command": "db-mcp" } }, "hooks": "./config/hooks.json" """)
            .File("p/config/hooks.json", """{ "hooks": {} }""")
            .File("p/hooks/hooks.json", """{ "hooks": { "ignored": [] } }""")
            .Load();

        result.AssertClean();
        var plugin = result.Plugin("p");
        Assert.Equal("db-mcp", plugin.McpServers!.Value.GetProperty("db").GetProperty("command").GetString());
        Assert.Null(plugin.McpServersFile);
        Assert.Equal("p/config/hooks.json", plugin.HooksFile);
    }

    [Fact]
    public void Load_InvalidHooksJson_WarnsAndPluginKeepsItsAgents()
    {
        var result = new TreeBuilder().Plugin("p", "p")
            .File("p/hooks/hooks.json", "{ not json")
            .Agent("p/agents/a.md", "a")
            .Load();

        result.SingleWarning("manifest-invalid", "p/hooks/hooks.json");
        Assert.Null(result.Plugin("p").Hooks);
        Assert.Single(result.Plugin("p").Agents);
    }
}
