using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Registry;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Tests.Registry;

/// <summary>
/// <see cref="SnapshotLoader.Build"/> on exact snapshot bodies: what is reused between revisions, what is read from the
/// envelope, and how damaged bodies are rejected (the checksum first, then readability).
/// </summary>
public sealed class SnapshotLoaderTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly HttpClient _unused = new();
    private readonly PluginRegistry _registry;

    public SnapshotLoaderTests() =>
        _registry = new PluginRegistry(new RegistryOptions { KeepRevisions = 2 }, new FileContentCache(new ConfigStoreClient(_unused)), new RegistryEvents(), TimeProvider.System);

    public void Dispose() => _unused.Dispose();

    [Theory]
    [InlineData(3)] // parsed one by one
    [InlineData(40)] // parsed in parallel
    public void Build_NextRevision_ReusesEveryByteIdenticalPluginAndParsesTheChangedOne(int count)
    {
        var first = Activate("a", Body(Enumerable.Range(0, count).Select(i => Plugin($"p{i}", "one"))));
        var second = Activate("b", Body(Enumerable.Range(0, count).Select(i => Plugin($"p{i}", i == 1 ? "two" : "one"))));

        Assert.All(Enumerable.Range(0, count).Where(i => i != 1), i => Assert.Same(first.Catalog.Plugins[i], second.Catalog.Plugins[i]));
        Assert.NotSame(first.Catalog.Plugins[1], second.Catalog.Plugins[1]);
        Assert.Equal("two", second.Catalog.Plugins[1].Description);
        Assert.Equal(count + 1, _registry.InternedPlugins().Count);
    }

    [Fact]
    public void Build_PluginInsertedAndRemoved_EveryOtherPluginIsStillReused()
    {
        var first = Activate("a", Body(Enumerable.Range(0, 30).Select(i => Plugin($"p{i}", "one"))));
        var inserted = Enumerable.Range(0, 30).Select(i => Plugin($"p{i}", "one")).ToList();
        inserted.Insert(5, Plugin("new", "one"));
        inserted.RemoveAt(20);

        var second = Activate("b", Body(inserted));

        Assert.Equal(30, second.Catalog.Plugins.Count);
        Assert.All(second.Catalog.Plugins.Where(p => p.Name != "new"), p => Assert.Contains(p, first.Catalog.Plugins, ReferenceEqualityComparer.Instance));
        Assert.DoesNotContain(second.Catalog.Plugins.Single(p => p.Name == "new"), first.Catalog.Plugins, ReferenceEqualityComparer.Instance);
        Assert.DoesNotContain(second.Catalog.Plugins, p => p.Name == "p19");
    }

    [Fact]
    public void Build_ARevisionLeavesMemory_ItsOnlyPluginsLeaveTheInternTable()
    {
        Activate("a", Body([Plugin("p", "one")]));
        Activate("b", Body([Plugin("p", "two")]));
        Activate("c", Body([Plugin("p", "three")]));

        Assert.Equal(["three", "two"], _registry.InternedPlugins().Plugins.Select(p => p.Plugin.Description!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Build_KeysAroundThePluginsArray_AreRead()
    {
        var body = Encoding.UTF8.GetBytes("""
            { "extra": {"plugins": [1]}, "plugins" : [ PLUGIN ] ,
              "marketplaceName": "after", "remotePlugins": [{"name":"far","sourceType":"github","source":"o/r"}], "tail": [[]] }
            """.Replace("PLUGIN", JsonSerializer.Serialize(Plugin("p", "one"), Json), StringComparison.Ordinal));

        var revision = SnapshotLoader.Build("a", body, Sha256(body), _registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp());

        Assert.Equal("p", Assert.Single(revision.Catalog.Plugins).Name);
        Assert.Equal("after", revision.Catalog.MarketplaceName);
        Assert.Equal("far", Assert.Single(revision.Catalog.RemotePlugins).Name);
    }

    [Theory]
    [InlineData("""{"plugins":[PLUGIN""")] // truncated
    [InlineData("""{"plugins":[PLUGIN]""")] // object not closed
    [InlineData("""{"plugins":[PLUGIN,{"name":"x]}""")] // unterminated string
    [InlineData("""{"plugins":[PLUGIN}]}""")] // unbalanced
    [InlineData("""{"plugins":[PLUGIN x]}""")] // garbage after a plugin that is byte-identical to a loaded one
    [InlineData("""{"plugins":[PLUGIN,{"name":"q","root":"q","origin":"marketplace",}]}""")] // bad JSON inside a plugin
    [InlineData("""{"plugins":[PLUGIN] "marketplaceName":"m"}""")] // bad envelope after the array
    [InlineData("""{"plugins":[PLUGIN,null]}""")]
    [InlineData("""not json""")]
    public void Build_MalformedBody_IsUnreadableAndChecksumMismatchWins(string template)
    {
        Activate("a", Body([Plugin("p", "one")]));
        var body = Encoding.UTF8.GetBytes(template.Replace("PLUGIN", JsonSerializer.Serialize(Plugin("p", "one"), Json), StringComparison.Ordinal));

        var unreadable = Assert.Throws<SnapshotLoadException>(
            () => SnapshotLoader.Build("b", body, Sha256(body), _registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp()));
        var mismatch = Assert.Throws<SnapshotLoadException>(
            () => SnapshotLoader.Build("b", body, new string('0', 64), _registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp()));

        Assert.Equal("unreadable", unreadable.Reason);
        Assert.Equal("checksum-mismatch", mismatch.Reason);
    }

    [Fact]
    public void Build_ManyPluginsOneInvalid_FailsValidationAndNamesIt()
    {
        var plugins = Enumerable.Range(0, 40).Select(i => Plugin($"p{i}", "one")).ToList();
        plugins[17] = plugins[17] with { Files = [new PluginFile { Path = "../escape", Hash = new string('a', 64), Size = 1 }] };
        var body = Body(plugins);

        var error = Assert.Throws<SnapshotLoadException>(
            () => SnapshotLoader.Build("a", body, Sha256(body), _registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp()));

        Assert.Equal("invalid", error.Reason);
        Assert.Contains("'p17'", error.Message, StringComparison.Ordinal);
    }

    private LoadedRevision Activate(string id, byte[] body)
    {
        var revision = SnapshotLoader.Build(id, body, Sha256(body), _registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp());
        _registry.Activate(revision, ActivationKind.Activated, fromMemory: false);
        return revision;
    }

    private static byte[] Body(IEnumerable<PluginDefinition> plugins) =>
        JsonSerializer.SerializeToUtf8Bytes(new CatalogSnapshot { MarketplaceName = "test", Plugins = [.. plugins] }, Json);

    private static PluginDefinition Plugin(string name, string description) => new()
    {
        Name = name,
        Description = description,
        Root = name,
        Origin = PluginOrigin.Marketplace,
        Agents = [new AgentDefinition { Name = "agent", QualifiedName = $"{name}:agent", Body = $"Body \"{description}\" [with] {{brackets}}\\.", File = $"{name}/agents/agent.md" }],
        Files = [new PluginFile { Path = $"{name}/agents/agent.md", Hash = new string('b', 64), Size = 10 }],
    };

    private static string Sha256(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}
