using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Frontmatter;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Components;

/// <summary>Reads an agent file. Claude Code addresses a subagent by its frontmatter <c>name</c>, so that wins over the file name.</summary>
internal static class AgentReader
{
    public static AgentDefinition? Read(string plugin, string file, string text, DiagnosticBag diagnostics)
    {
        var document = MarkdownDocument.Parse(text, file, diagnostics);
        var frontmatter = document.Frontmatter;
        var stem = RepositoryPath.Stem(file);
        var nameEntry = frontmatter.Get("name");
        var name = FrontmatterValues.Text(nameEntry, file, diagnostics)?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            if (stem.Trim().Length == 0)
            {
                diagnostics.Error(DiagnosticCodes.AgentUnnamed, "The agent has neither a frontmatter name nor a file name, so it cannot be addressed. Add 'name:' to its frontmatter.", file, nameEntry?.Line);
                return null;
            }

            diagnostics.Warning(DiagnosticCodes.NameMissing, $"The agent has no 'name' in its frontmatter; it is named after its file, '{stem}'.", file, nameEntry?.Line);
            name = stem;
        }
        else if (name != stem)
        {
            diagnostics.Warning(
                DiagnosticCodes.AgentNameMismatch,
                $"The agent is named '{name}' but its file is '{RepositoryPath.FileName(file)}'; it is addressed as '{plugin}:{name}'. Rename one so they match.",
                file,
                nameEntry!.Line);
        }

        var description = FrontmatterValues.Text(frontmatter.Get("description"), file, diagnostics);
        if (string.IsNullOrWhiteSpace(description))
        {
            diagnostics.Warning(DiagnosticCodes.DescriptionMissing, "The agent has no description, so nothing tells the model when to use it. Add 'description:' to its frontmatter.", file);
        }

        return new AgentDefinition
        {
            Name = name,
            QualifiedName = $"{plugin}:{name}",
            Description = description,
            Tools = FrontmatterValues.ToolList(frontmatter.Get("tools"), file, diagnostics),
            Model = FrontmatterValues.Text(frontmatter.Get("model"), file, diagnostics),
            Body = document.Body,
            File = file,
            Frontmatter = FrontmatterValues.ToDictionary(frontmatter),
        };
    }
}
