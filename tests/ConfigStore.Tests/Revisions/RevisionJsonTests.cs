using System.Text;
using System.Text.Json;
using Evergreen.ConfigStore.Plugins;
using Evergreen.ConfigStore.Revisions;
using Evergreen.ConfigStore.Tests.Plugins;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>The snapshot is checksummed by its bytes: reusing unchanged plugins' (and diagnostics') JSON must never change one byte.</summary>
public sealed class RevisionJsonTests
{
    [Fact]
    public void SnapshotAndDiagnostics_SampleMarketplaceLoadedAgainWithOneChange_GiveThePlainSerializerBytesEachTime()
    {
        var cache = new PluginBuildCache();
        var samples = TreeBuilder.FromDirectory(Path.Combine(RepositoryRoot.Path, "samples", "plugins"));
        var first = PluginCatalogLoader.Load(samples, PluginLoadOptions.Default, cache);
        Assert.Equal(JsonSerializer.Serialize(first.Catalog, RevisionFactory.Json), RevisionJson.Snapshot(first.Catalog));

        var again = PluginCatalogLoader.Load(samples, PluginLoadOptions.Default, cache);
        Assert.Equal(JsonSerializer.Serialize(again.Catalog, RevisionFactory.Json), RevisionJson.Snapshot(again.Catalog));
        Assert.NotEmpty(again.Diagnostics);
        Assert.Equal(PlainDiagnostics(first), RevisionJson.Diagnostics(first.Diagnostics));
        Assert.Equal(PlainDiagnostics(again), RevisionJson.Diagnostics(again.Diagnostics));

        // Change one agent file of the first plugin that has one: only that plugin is serialized again, and it shows.
        var agentFile = first.Plugins.SelectMany(p => p.Agents).First().File;
        var changed = new RepositoryTree(samples.Files.Select(f => f.Path == agentFile
            ? f with { Content = Encoding.UTF8.GetBytes("---\nname: renamed-by-test\ndescription: Changed.\n---\nChanged.\n") }
            : f));
        var third = PluginCatalogLoader.Load(changed, PluginLoadOptions.Default, cache);
        var json = RevisionJson.Snapshot(third.Catalog);

        Assert.Equal(JsonSerializer.Serialize(third.Catalog, RevisionFactory.Json), json);
        Assert.Equal(PlainDiagnostics(third), RevisionJson.Diagnostics(third.Diagnostics));
        Assert.Contains("renamed-by-test", json, StringComparison.Ordinal);
        Assert.Equal(1, cache.LastBuilt);
    }

    private static string PlainDiagnostics(PluginLoadResult result) =>
        JsonSerializer.Serialize(result.Diagnostics.Select(RevisionFactory.ToRevisionDiagnostic).ToList(), RevisionFactory.Json);
}
