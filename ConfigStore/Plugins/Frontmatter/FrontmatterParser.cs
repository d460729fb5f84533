using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Frontmatter;

/// <summary>Strict YAML first; when it refuses, the line-based reader, flagged with a warning that says why.</summary>
internal static class FrontmatterParser
{
    public static ParsedFrontmatter Parse(string yaml, int firstLine, string file, DiagnosticBag diagnostics)
    {
        if (YamlFrontmatterParser.TryParse(yaml, firstLine, out var parsed, out var error))
        {
            return parsed;
        }

        diagnostics.Warning(
            DiagnosticCodes.FrontmatterFallback,
            $"The frontmatter is not valid YAML ({error.Message}); it was read line by line as 'key: value' pairs. " +
            "Quote values that contain ': ' and indent continuation lines, or use a block scalar ('description: |').",
            file,
            error.Line);
        return LineFrontmatterReader.Read(yaml, firstLine);
    }
}
