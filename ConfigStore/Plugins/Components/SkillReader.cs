using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Frontmatter;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Components;

/// <summary>
/// Reads a skill's <c>SKILL.md</c> and checks the Agent Skills specification (agentskills.io/specification): name
/// 1–64 characters of <c>^[a-z0-9]+(-[a-z0-9]+)*$</c> matching its folder; description 1–1024 characters; compatibility at
/// most 500 characters; metadata a mapping of strings. Violations are warnings, or errors under the strict profile.
/// </summary>
internal static partial class SkillReader
{
    public static SkillDefinition Read(string plugin, string folder, string file, string text, DiagnosticBag diagnostics)
    {
        var document = MarkdownDocument.Parse(text, file, diagnostics);
        var frontmatter = document.Frontmatter;
        var folderName = RepositoryPath.FileName(folder);
        var nameEntry = frontmatter.Get("name");
        var name = FrontmatterValues.Text(nameEntry, file, diagnostics)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            diagnostics.SpecRule(DiagnosticCodes.SkillSpec, $"The skill has no 'name'; it is named after its folder, '{folderName}'. The Agent Skills specification requires a name.", file);
            name = folderName;
        }
        else
        {
            CheckName(name, folderName, file, nameEntry!.Line, diagnostics);
        }

        var descriptionEntry = frontmatter.Get("description");
        var description = FrontmatterValues.Text(descriptionEntry, file, diagnostics);

        // Trimmed, because a block scalar ('description: >') ends with a newline nobody wrote as text.
        var descriptionLength = description?.Trim().Length ?? 0;
        if (descriptionLength is 0 or > 1024)
        {
            diagnostics.SpecRule(
                DiagnosticCodes.SkillSpec,
                $"The description has {descriptionLength} characters; the Agent Skills specification requires 1 to 1024.",
                file,
                descriptionEntry?.Line);
        }

        CheckOptionalFields(frontmatter, file, diagnostics);
        return new SkillDefinition
        {
            Name = name,
            QualifiedName = $"{plugin}:{name}",
            Description = description,
            AllowedTools = FrontmatterValues.ToolList(frontmatter.Get("allowed-tools"), file, diagnostics),
            Body = document.Body,
            File = file,
            Folder = folder,
            Frontmatter = FrontmatterValues.ToDictionary(frontmatter),
        };
    }

    private static void CheckName(string name, string folderName, string file, int line, DiagnosticBag diagnostics)
    {
        if (name != folderName)
        {
            diagnostics.SpecRule(DiagnosticCodes.SkillNameMismatch, $"The skill is named '{name}' but its folder is '{folderName}'; the specification requires them to match. Rename one.", file, line);
        }

        if (name.Length > 64 || !NamePattern().IsMatch(name))
        {
            diagnostics.SpecRule(
                DiagnosticCodes.SkillSpec,
                $"The skill name '{name}' breaks the specification: at most 64 lowercase letters, digits and single hyphens, not starting or ending with a hyphen.",
                file,
                line);
        }
    }

    private static void CheckOptionalFields(ParsedFrontmatter frontmatter, string file, DiagnosticBag diagnostics)
    {
        if (frontmatter.Get("compatibility") is { } compatibility && (FrontmatterValues.Text(compatibility, file, diagnostics)?.Length ?? 0) > 500)
        {
            diagnostics.SpecRule(DiagnosticCodes.SkillSpec, "'compatibility' is longer than the 500 characters the specification allows.", file, compatibility.Line);
        }

        if (frontmatter.Get("metadata") is { } metadata &&
            (metadata.Value is not JsonObject map || map.Any(static pair => pair.Value is not JsonValue value || value.GetValueKind() != JsonValueKind.String)))
        {
            diagnostics.SpecRule(DiagnosticCodes.SkillSpec, "'metadata' must be a mapping of string keys to string values (quote numbers such as version: \"1.0\").", file, metadata.Line);
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex NamePattern();
}
