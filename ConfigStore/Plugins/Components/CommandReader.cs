using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Frontmatter;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Components;

/// <summary>
/// Reads a slash-command file. Frontmatter is optional for commands (Claude Code documents it so), so a file without it
/// loads cleanly: named after the file, described by its first non-empty line.
/// </summary>
internal static class CommandReader
{
    public static CommandDefinition Read(string plugin, string file, string text, DiagnosticBag diagnostics)
    {
        var document = MarkdownDocument.Parse(text, file, diagnostics);
        var frontmatter = document.Frontmatter;
        var name = RepositoryPath.Stem(file);
        var description = FrontmatterValues.Text(frontmatter.Get("description"), file, diagnostics);
        if (string.IsNullOrWhiteSpace(description))
        {
            description = FirstLine(document.Body);
            if (description is null)
            {
                diagnostics.Warning(DiagnosticCodes.DescriptionMissing, "The command is empty: no description and no prompt.", file);
            }
        }

        return new CommandDefinition
        {
            Name = name,
            QualifiedName = $"{plugin}:{name}",
            Description = description,
            ArgumentHint = FrontmatterValues.Text(frontmatter.Get("argument-hint"), file, diagnostics),
            AllowedTools = FrontmatterValues.ToolList(frontmatter.Get("allowed-tools"), file, diagnostics),
            Model = FrontmatterValues.Text(frontmatter.Get("model"), file, diagnostics),
            Body = document.Body,
            File = file,
            Frontmatter = FrontmatterValues.ToDictionary(frontmatter),
        };
    }

    private static string? FirstLine(string body) =>
        body.Split('\n').Select(static line => line.Trim().TrimStart('#').Trim()).FirstOrDefault(static line => line.Length > 0);
}
