using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>
/// Maps Claude Code's model aliases in frontmatter (<c>sonnet</c>, <c>opus</c>, <c>haiku</c>, <c>inherit</c>) to model ids,
/// configured as <c>AgentRuntime:Models:&lt;alias&gt;</c>. <c>inherit</c> and no model mean <c>AgentRuntime:Models:Default</c>
/// (the <c>sonnet</c> model unless set). Any other value is taken as a model id and passed through.
/// </summary>
internal sealed class ModelAliases
{
    public const string SectionName = "AgentRuntime:Models";

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sonnet"] = "claude-sonnet-4-5",
        ["opus"] = "claude-opus-4-1",
        ["haiku"] = "claude-haiku-4-5",
    };

    private readonly Dictionary<string, string> _aliases;
    private readonly string _default;

    public ModelAliases(IConfiguration configuration)
    {
        _aliases = new Dictionary<string, string>(Defaults, StringComparer.OrdinalIgnoreCase);
        foreach (var child in configuration.GetSection(SectionName).GetChildren())
        {
            if (!string.IsNullOrWhiteSpace(child.Value))
            {
                _aliases[child.Key] = child.Value.Trim();
            }
        }

        _default = _aliases.TryGetValue("Default", out var configured) ? configured : _aliases["sonnet"];
        if (!_aliases.ContainsKey("inherit"))
        {
            _aliases["inherit"] = _default;
        }
    }

    /// <summary>The model id for <paramref name="model"/>.</summary>
    public string Resolve(string? model) =>
        string.IsNullOrWhiteSpace(model) ? _default
        : _aliases.TryGetValue(model.Trim(), out var id) ? id
        : model.Trim();
}
