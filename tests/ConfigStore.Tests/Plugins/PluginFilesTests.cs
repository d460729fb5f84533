using System.Security.Cryptography;
using System.Text;

namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class PluginFilesTests
{
    [Fact]
    public void Load_PluginFolder_ListsEveryFileWithItsHashAndSize()
    {
        var result = new TreeBuilder()
            .Plugin("plugins/alpha", "alpha").Agent("plugins/alpha/agents/a.md", "a")
            .File("plugins/alpha/docs/style.txt", "Write short sentences.")
            .File("README.md", "not a plugin file")
            .Load();

        var files = result.Plugin("alpha").Files;
        Assert.Equal(
            ["plugins/alpha/.claude-plugin/plugin.json", "plugins/alpha/agents/a.md", "plugins/alpha/docs/style.txt"],
            files.Select(f => f.Path));
        var style = files[2];
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("Write short sentences."))), style.Hash);
        Assert.Equal(22, style.Size);
    }

    [Fact]
    public void Load_RootPluginWithNestedPlugin_GivesNestedFilesOnlyToTheNestedPlugin()
    {
        var result = new TreeBuilder()
            .File(".claude-plugin/marketplace.json", """{ "name": "m", "plugins": [ { "name": "outer", "source": "./" }, { "name": "inner", "source": "./plugins/inner" } ] }""")
            .Plugin("", "outer").Agent("agents/o.md", "o")
            .Plugin("plugins/inner", "inner").Agent("plugins/inner/agents/i.md", "i")
            .Load();

        Assert.DoesNotContain(result.Plugin("outer").Files, f => f.Path.StartsWith("plugins/inner/", StringComparison.Ordinal));
        Assert.Contains(result.Plugin("outer").Files, f => f.Path == "agents/o.md");
        Assert.Contains(result.Plugin("inner").Files, f => f.Path == "plugins/inner/agents/i.md");
    }
}
