using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Agents;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>
/// The plugin the agent tests run: <c>code-review</c> in <c>plugins/code-review</c> of a revision that also holds another
/// plugin's secret next to it, with agents of every tool shape, a skill and a command.
/// </summary>
internal static class TestPlugin
{
    public const string Root = "plugins/code-review";
    public const string RevisionId = "0123456789abcdef0123456789abcdef01234567";
    public const string ReviewerBody = "You review code. Be kind and precise.";

    public static readonly IReadOnlyDictionary<string, string> RepositoryFiles = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [$"{Root}/agents/reviewer.md"] = $"---\nname: reviewer\ndescription: Reviews code\n---\n{ReviewerBody}\n",
        [$"{Root}/agents/reader.md"] = "---\nname: reader\ntools: Read, Glob, Bash(git:*), WebFetch\n---\nYou only read.\n",
        [$"{Root}/skills/style/SKILL.md"] = "---\nname: style\ndescription: The house style\n---\nUse tabs. Never semicolons.\n",
        [$"{Root}/commands/review.md"] = "---\ndescription: Review a file\n---\nReview $ARGUMENTS carefully.\n",
        [$"{Root}/README.md"] = "# Code review\nThe TODO list lives here.\nTODO: more checks\n",
        [$"{Root}/docs/guide.md"] = "Guide line one\nguide line two\ntodo lowercase\n",
        ["plugins/other/secret.md"] = "another plugin's secret\n",
    };

    public static AgentDefinition Agent(string name, string body, IReadOnlyList<string>? tools = null, string? model = null, int? maxTurns = null) => new()
    {
        Name = name,
        QualifiedName = $"code-review:{name}",
        Description = $"The {name} agent",
        Tools = tools,
        Model = model,
        Body = body,
        File = $"{Root}/agents/{name}.md",
        Frontmatter = maxTurns is null
            ? new SortedDictionary<string, JsonElement>(StringComparer.Ordinal)
            : new SortedDictionary<string, JsonElement>(StringComparer.Ordinal) { ["maxTurns"] = JsonSerializer.SerializeToElement(maxTurns) },
    };

    public static readonly AgentDefinition Reviewer = Agent("reviewer", ReviewerBody);

    public static readonly AgentDefinition Reader = Agent("reader", "You only read.", tools: ["Read", "Glob", "Bash(git:*)", "WebFetch"]);

    public static readonly SkillDefinition Style = new()
    {
        Name = "style",
        QualifiedName = "code-review:style",
        Description = "The house style",
        Body = "Use tabs. Never semicolons.\n",
        File = $"{Root}/skills/style/SKILL.md",
        Folder = $"{Root}/skills/style",
    };

    public static readonly CommandDefinition Review = new()
    {
        Name = "review",
        QualifiedName = "code-review:review",
        Description = "Review a file",
        Body = "Review $ARGUMENTS carefully.\n",
        File = $"{Root}/commands/review.md",
    };

    public static readonly PluginDefinition Plugin = new()
    {
        Name = "code-review",
        Root = Root,
        Origin = PluginOrigin.Manifest,
        Agents = [Reader, Reviewer],
        Skills = [Style],
        Commands = [Review],
        Files = [.. RepositoryFiles.Where(f => f.Key.StartsWith(Root + "/", StringComparison.Ordinal)).OrderBy(f => f.Key, StringComparer.Ordinal)
            .Select(f => new PluginFile { Path = f.Key, Hash = Hash(f.Value), Size = Encoding.UTF8.GetByteCount(f.Value) })],
    };

    public static readonly IPluginFileSource Files = new InMemoryFiles(RepositoryFiles);

    public static AgentRun Run(AgentTarget target, string prompt, int? maxTurns = null) => new()
    {
        RunId = $"run-{Guid.NewGuid():N}",
        RevisionId = RevisionId,
        Plugin = Plugin,
        Target = target,
        Prompt = prompt,
        MaxTurns = maxTurns,
        Files = Files,
    };

    public static AgentRun Run(AgentDefinition agent, string prompt, int? maxTurns = null) => Run(new AgentTarget { Agent = agent }, prompt, maxTurns);

    private static string Hash(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    /// <summary>The revision's files by repository path, as the registry would serve them.</summary>
    private sealed class InMemoryFiles(IReadOnlyDictionary<string, string> files) : IPluginFileSource
    {
        public ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken) =>
            ValueTask.FromResult<ReadOnlyMemory<byte>?>(files.TryGetValue(path, out var content) ? Encoding.UTF8.GetBytes(content) : null);
    }
}
