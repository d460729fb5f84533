using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.Bench.Runtime;

/// <summary>
/// Catalogs shaped like real plugin repositories: per plugin 3 agents, 2 commands and 1 skill with bodies of about
/// 1.5 KB, a manifest and 8 files. Plugin <c>i</c> is edited in version <c>i + 1</c>, so each version differs from the
/// one before in exactly one plugin (as a merged proposal does); with <c>allChanged</c> every plugin differs in every version.
/// </summary>
internal static class SnapshotGenerator
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    // Markdown as agents are written: headings, lists, code spans, quotes, an <example> block, a non-ASCII dash. ConfigStore's
    // JSON escapes most of these (\n, \", \u0027, \u0060, \u003C, \u2014), and escapes are what make a body slow to parse.
    private static readonly string Paragraph = string.Concat(Enumerable.Repeat(
        """
        ## How to review

        - Read the diff first; don't guess what a function does — open it with `Read` and find its callers with `Grep`.
        - Explain every finding with the line it concerns and a concrete fix, e.g. "use `ArgumentNullException.ThrowIfNull(x)`".
        - Security first: SQL built with `+`, paths joined from user input, secrets written to logs.

        <example>
        user: "Review src/Api/OrdersController.cs"
        assistant: "Line 42 puts `Request.Query["id"]` into SQL by concatenation — use a parameter."
        </example>


        """, 3));

    public static byte[] Build(int pluginCount, int version, bool allChanged = false) =>
        JsonSerializer.SerializeToUtf8Bytes(new CatalogSnapshot
        {
            MarketplaceName = "bench",
            Plugins = [.. Enumerable.Range(0, pluginCount).Select(i => Plugin(i, allChanged ? version + 1000 : i < version ? i + 1 : 0))],
        }, Json);

    private static PluginDefinition Plugin(int index, int edit)
    {
        var name = $"plugin-{index:D4}";
        var root = $"plugins/{name}";
        var agents = Enumerable.Range(0, 3).Select(a => new AgentDefinition
        {
            Name = $"agent-{a}",
            QualifiedName = $"{name}:agent-{a}",
            Description = $"Agent {a} of {name}: use it for reviews of kind {a}.",
            Tools = ["Read", "Grep", "Glob"],
            Model = "sonnet",
            Body = $"You are agent {a} of {name} (edit {edit}).\n\n{Paragraph}",
            File = $"{root}/agents/agent-{a}.md",
            Frontmatter = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
            {
                ["description"] = JsonSerializer.SerializeToElement($"Agent {a} of {name}"),
                ["name"] = JsonSerializer.SerializeToElement($"agent-{a}"),
            },
        }).ToList();
        var commands = Enumerable.Range(0, 2).Select(c => new CommandDefinition
        {
            Name = $"command-{c}",
            QualifiedName = $"{name}:command-{c}",
            Description = $"Command {c} of {name}.",
            Body = $"Run check {c} on $ARGUMENTS.\n\n{Paragraph}",
            File = $"{root}/commands/command-{c}.md",
        }).ToList();
        var skills = new List<SkillDefinition>
        {
            new()
            {
                Name = "guide",
                QualifiedName = $"{name}:guide",
                Description = $"The style guide of {name}.",
                Body = Paragraph,
                File = $"{root}/skills/guide/SKILL.md",
                Folder = $"{root}/skills/guide",
            },
        };
        var files = agents.Select(a => a.File).Concat(commands.Select(c => c.File)).Concat(skills.Select(s => s.File))
            .Append($"{root}/.claude-plugin/plugin.json").Append($"{root}/README.md")
            .Order(StringComparer.Ordinal)
            .Select(path => new PluginFile { Path = path, Hash = Hash($"{path}:{edit}"), Size = 1500 })
            .ToList();
        return new PluginDefinition
        {
            Name = name,
            Version = $"1.{edit}.0",
            Description = $"Plugin {index} of the benchmark catalog.",
            Root = root,
            Origin = PluginOrigin.Marketplace,
            ManifestFile = $"{root}/.claude-plugin/plugin.json",
            Agents = agents,
            Commands = commands,
            Skills = skills,
            Files = files,
        };
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
