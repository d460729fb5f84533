using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Registry;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Tests.Registry;

/// <summary>
/// The runtime's own reader of a snapshot's plugin JSON, held against <c>System.Text.Json</c>: everything ConfigStore
/// writes must read back to the same plugin, and what is not JSON or not the schema must be refused when the snapshot
/// loads (not when a run first reads a body).
/// </summary>
public sealed class PluginJsonReaderTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Read_EveryFieldAsConfigStoreWritesIt_ReadsBackToTheSameJson()
    {
        var written = JsonSerializer.SerializeToUtf8Bytes(FullPlugin(), Json);

        var read = PluginJsonReader.Read(written);

        Assert.Equal(Encoding.UTF8.GetString(written), JsonSerializer.Serialize(read, Json));
    }

    [Fact]
    public void Read_BodiesWithEscapesAndSurrogatePairs_DecodeToTheOriginalText()
    {
        var plugin = FullPlugin();

        var read = PluginJsonReader.Read(JsonSerializer.SerializeToUtf8Bytes(plugin, Json));

        Assert.Equal(plugin.Agents[0].Body, read.Agents[0].Body);
        Assert.Equal(plugin.Skills[0].Body, read.Skills[0].Body);
        Assert.Equal(plugin.Commands[0].Body, read.Commands[0].Body);
        Assert.Same(read.Agents[0].Body, read.Agents[0].Body); // decoded once, then kept
    }

    [Fact]
    public void Read_BodyReadByManyThreadsAtOnce_EveryThreadGetsTheSameString()
    {
        var plugin = FullPlugin();
        var read = PluginJsonReader.Read(JsonSerializer.SerializeToUtf8Bytes(plugin, Json));
        var bodies = new string[8];
        using var go = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, bodies.Length).Select(i => new Thread(() =>
        {
            go.Wait();
            bodies[i] = read.Agents[0].Body;
        })).ToList();
        threads.ForEach(t => t.Start());

        go.Set();
        threads.ForEach(t => t.Join());

        Assert.Equal(plugin.Agents[0].Body, bodies[0]);
        Assert.All(bodies, body => Assert.Same(bodies[0], body)); // a thread that loses the race to decode takes the winner's string
    }

    [Theory]
    [InlineData("""{"NAME":"p","Root":"plugins/p","ORIGIN":"manifest"}""")] // names and enum values ignoring case
    [InlineData(""" { "name" : "p" , "root":"plugins/p","origin":"Folder","unknown":{"a":[1,{"b":null}],"c":"\u0041"},"more":[true,false,-1.5e3]} """)]
    [InlineData("""{"n\u0061me":"p","root":"plugins/p","origin":"Project"}""")] // an escaped property name
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","hash":"00","size":"12"}]}""")] // a size in a string
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","name":"q"}""")] // the last of a repeated property wins
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","version":null,"author":null,"hooks":null,"agents":[],"metadata":{}}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"","file":"f","tools":null}],"commands":[{"name":"c","qualifiedName":"p:c","body":"x","file":"g","allowedTools":[]}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","metadata":{"a":1,"b":[2],"a":{"c":3}},"agents":[{"name":"a","qualifiedName":"p:a","body":"b","file":"f","frontmatter":{ }}]}""")]
    public void Read_ValidJsonTheSerializerAccepts_ReadsTheSamePlugin(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var expected = JsonSerializer.Serialize(JsonSerializer.Deserialize<PluginDefinition>(bytes, Json), Json);

        Assert.Equal(expected, JsonSerializer.Serialize(PluginJsonReader.Read(bytes), Json));
    }

    [Theory]
    [InlineData("{\"name\":\"p\",\"root\":\"plugins/p\",\"origin\":\"Manifest\"")] // truncated
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest"} x""")] // something after the plugin
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest",}""")] // trailing comma
    [InlineData("""{"name" "p","root":"plugins/p","origin":"Manifest"}""")] // no colon
    [InlineData("""{"name":"p" "root":"plugins/p","origin":"Manifest"}""")] // no comma
    [InlineData("""{"name":"p\x","root":"plugins/p","origin":"Manifest"}""")] // an invalid escape
    [InlineData("""{"name":"p\u12","root":"plugins/p","origin":"Manifest"}""")] // a short \u escape
    [InlineData("""{"name":"p\uD800","root":"plugins/p","origin":"Manifest"}""")] // a lone high surrogate
    [InlineData("""{"name":"p\uDC00x","root":"plugins/p","origin":"Manifest"}""")] // a lone low surrogate
    [InlineData("""{"name":"p\uD800\u0041","root":"plugins/p","origin":"Manifest"}""")] // a high surrogate not followed by a low one
    [InlineData("""{"root":"plugins/p","origin":"Manifest"}""")] // no name
    [InlineData("""{"name":"p","origin":"Manifest"}""")] // no root
    [InlineData("""{"name":"p","root":"plugins/p"}""")] // no origin
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Remote"}""")] // an origin that does not exist
    [InlineData("""{"name":"p","root":"plugins/p","origin":"1"}""")]
    [InlineData("""{"name":1,"root":"plugins/p","origin":"Manifest"}""")] // a number for a string
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":{}}""")] // an object for a list
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":null}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[null]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","file":"f"}]}""")] // no body
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":null,"file":"f"}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"ok\q","file":"f"}]}""")] // a bad escape in a body
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"ok\uD800","file":"f"}]}""")] // a lone surrogate in a body
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"\uDC00ok","file":"f"}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","skills":[{"name":"s","qualifiedName":"p:s","body":"b","file":"f"}]}""")] // no folder
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","size":1}]}""")] // no hash
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","hash":"00","size":1.5}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","hash":"00","size":01}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","hash":"00","size":"x"}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","files":[{"path":"a.md","hash":"00","size":1,"isSymbolicLink":"yes"}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","metadata":[]}""")] // a list for an object
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","hooks":{"a":}}""")] // a free-form value that is not JSON
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"b","file":"f","frontmatter":{"a":}}]}""")] // read later, checked now
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"b","file":"f","frontmatter":["a"]}]}""")]
    [InlineData("""{"name":"p","root":"plugins/p","origin":"Manifest","metadata":"x"}""")]
    [InlineData("""null""")]
    [InlineData("""[]""")]
    [InlineData("")]
    public void Read_NotJsonOrNotTheSchema_Throws(string json)
    {
        Assert.ThrowsAny<JsonException>(() => PluginJsonReader.Read(Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData("\"name\":\"p")] // in a string read at once
    [InlineData("\"body\":\"ok")] // in a body, whose decoding waits for a run
    public void Read_InvalidUtf8InAString_ThrowsWhenTheSnapshotLoads(string before)
    {
        var json = """{"name":"p","root":"plugins/p","origin":"Manifest","agents":[{"name":"a","qualifiedName":"p:a","body":"ok","file":"f"}]}""";
        var at = json.IndexOf(before, StringComparison.Ordinal) + before.Length;
        var bytes = Encoding.UTF8.GetBytes(json).ToList();
        bytes.Insert(at, 0xFF);

        Assert.ThrowsAny<JsonException>(() => PluginJsonReader.Read([.. bytes]));
    }

    [Fact]
    public void Read_RawControlCharacterInAString_Throws()
    {
        var json = Encoding.UTF8.GetBytes("{\"name\":\"p\u0001\",\"root\":\"plugins/p\",\"origin\":\"Manifest\"}");

        Assert.ThrowsAny<JsonException>(() => PluginJsonReader.Read(json));
    }

    /// <summary>A plugin with every field set, and text that ConfigStore's JSON escapes: quotes, tags, non-ASCII, an emoji.</summary>
    private static PluginDefinition FullPlugin()
    {
        const string markdown = "## Review \"carefully\"\n\n- don't guess — open it with `Read`\n\t<example>a & b + c</example>\n😀 é \\ / \r\n\u0001";
        var frontmatter = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["color"] = JsonSerializer.SerializeToElement("blue"),
            ["tags"] = JsonSerializer.SerializeToElement(new object[] { "a", 1, true, new { nested = (string?)null } }),
        };
        return new PluginDefinition
        {
            Name = "review",
            Version = "1.2.0",
            Description = "Reviews — with <care>",
            Author = new PluginAuthor { Name = "Jane", Email = "jane@example.com", Url = "https://example.com/jane" },
            Root = "plugins/review",
            Origin = PluginOrigin.Marketplace,
            ManifestFile = "plugins/review/.claude-plugin/plugin.json",
            Agents =
            [
                new AgentDefinition
                {
                    Name = "reviewer", QualifiedName = "review:reviewer", Description = "Use it for reviews", Tools = ["Read", "Grep"],
                    Model = "sonnet", Body = markdown, File = "plugins/review/agents/reviewer.md", Frontmatter = frontmatter,
                },
                new AgentDefinition { Name = "all-tools", QualifiedName = "review:all-tools", Body = "", File = "plugins/review/agents/all-tools.md" },
            ],
            Skills =
            [
                new SkillDefinition
                {
                    Name = "guide", QualifiedName = "review:guide", Description = "The guide", AllowedTools = [], Body = markdown + markdown,
                    File = "plugins/review/skills/guide/SKILL.md", Folder = "plugins/review/skills/guide", Frontmatter = frontmatter,
                },
            ],
            Commands =
            [
                new CommandDefinition
                {
                    Name = "check", QualifiedName = "review:check", Description = "Check $ARGUMENTS", ArgumentHint = "[path | git range]",
                    AllowedTools = ["Bash(git diff:*)"], Model = "haiku", Body = "Check $ARGUMENTS.\n" + markdown, File = "plugins/review/commands/check.md",
                },
            ],
            Hooks = JsonSerializer.SerializeToElement(new { PreToolUse = new[] { new { matcher = "Write", hooks = new[] { new { type = "command", command = "./lint.sh" } } } } }),
            HooksFile = "plugins/review/hooks/hooks.json",
            McpServers = JsonSerializer.SerializeToElement(new { github = new { command = "npx", args = new[] { "-y", "server" } } }),
            McpServersFile = "plugins/review/.mcp.json",
            Dependencies = [new PluginDependency { Name = "base", VersionRange = "^1.2" }, new PluginDependency { Name = "other", Marketplace = "elsewhere" }],
            Files =
            [
                new PluginFile { Path = "plugins/review/agents/reviewer.md", Hash = new string('a', 64), Size = 1234 },
                new PluginFile { Path = "plugins/review/link", Hash = new string('b', 64), Size = 0, IsSymbolicLink = true },
            ],
            Metadata = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["keywords"] = JsonSerializer.SerializeToElement(new[] { "review", "quality" }),
                ["license"] = JsonSerializer.SerializeToElement("MIT"),
                ["stars"] = JsonSerializer.SerializeToElement(12.5),
            },
        };
    }
}
