using System.Text.Json;
using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Tests.Plugins;

/// <summary>Another component checksums the serialized catalog, so equal content must give equal bytes.</summary>
public sealed class SnapshotSerializationTests
{
    private static TreeBuilder Repository(bool reversed)
    {
        var files = new List<(string Path, string Content)>
        {
            ("zeta/.claude-plugin/plugin.json", """{ "name": "zeta", "version": "1.0.0", "zz": 1, "aa": 2 }"""),
            ("zeta/agents/b.md", "---\nname: b\ndescription: B.\ncolor: red\nalpha: 1\n---\nB"),
            ("zeta/agents/a.md", "---\nname: a\ndescription: A.\n---\nA"),
            ("alpha/.claude-plugin/plugin.json", """{ "name": "alpha" }"""),
            ("alpha/commands/x.md", "X"),
            ("alpha/skills/s/SKILL.md", "---\nname: s\ndescription: S.\n---\n"),
        };
        if (reversed)
        {
            files.Reverse();
        }

        var builder = new TreeBuilder();
        foreach (var (path, content) in files)
        {
            builder.File(path, content);
        }

        return builder;
    }

    [Fact]
    public void Serialize_SameContentInAnyFileOrder_GivesIdenticalJson()
    {
        var first = JsonSerializer.Serialize(Repository(reversed: false).Load().Catalog);
        var second = JsonSerializer.Serialize(Repository(reversed: true).Load().Catalog);

        Assert.Equal(first, second);
        Assert.True(first.IndexOf("\"alpha\":1", StringComparison.Ordinal) < first.IndexOf("\"color\"", StringComparison.Ordinal));
        Assert.True(first.IndexOf("\"aa\":2", StringComparison.Ordinal) < first.IndexOf("\"zz\":1", StringComparison.Ordinal));
    }

    [Fact]
    public void Serialize_CatalogRoundTrip_GivesTheSameJsonBack()
    {
        var json = JsonSerializer.Serialize(Repository(reversed: false).Load().Catalog);

        var roundTripped = JsonSerializer.Deserialize<CatalogSnapshot>(json)!;

        Assert.Equal(json, JsonSerializer.Serialize(roundTripped));
        Assert.Equal(["alpha", "zeta"], roundTripped.Plugins.Select(p => p.Name));
        Assert.Equal(["a", "b"], roundTripped.Plugins[1].Agents.Select(a => a.Name));
    }

    [Fact]
    public void Serialize_Diagnostics_UseNamesForEnums()
    {
        var result = new TreeBuilder().Agent("loose/agents/a.md", "a").Load();

        var json = JsonSerializer.Serialize(result.Diagnostics);

        Assert.Contains("\"Severity\":\"Warning\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Origin\":\"Folder\"", JsonSerializer.Serialize(result.Catalog), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SameTreeTwice_GivesEqualDiagnostics()
    {
        var tree = Repository(reversed: false).Build();

        Assert.Equal(PluginCatalogLoader.Load(tree).Diagnostics, PluginCatalogLoader.Load(tree).Diagnostics);
    }
}
