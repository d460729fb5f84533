using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Validation;

/// <summary>
/// Names must address one thing: plugin names are unique (they prefix every qualified name and dependencies name them),
/// agents' <c>plugin:agent</c> are unique in the revision, and skills and commands share one slash-command namespace per
/// plugin (<c>/plugin:name</c> would be ambiguous), so their qualified names are unique together.
/// </summary>
internal static class NameValidator
{
    public static void Check(IReadOnlyList<LoadedPlugin> plugins, DiagnosticBag diagnostics)
    {
        Report(
            plugins.Select(static p => (p.Definition.Name, File: p.Definition.ManifestFile ?? p.Definition.Root)),
            "plugin name",
            "Plugin names prefix every agent, skill and command; rename one plugin.",
            diagnostics);
        Report(
            plugins.SelectMany(static p => p.Definition.Agents).Select(static a => (a.QualifiedName, a.File)),
            "agent",
            "Rename one agent (its frontmatter 'name').",
            diagnostics);
        Report(
            plugins.SelectMany(static p => p.Definition.Skills.Select(static s => (s.QualifiedName, s.File)).Concat(p.Definition.Commands.Select(static c => (c.QualifiedName, c.File)))),
            "skill or command",
            "Skills and commands are both invoked as /plugin:name; rename one.",
            diagnostics);
    }

    private static void Report(IEnumerable<(string Name, string File)> named, string kind, string fix, DiagnosticBag diagnostics)
    {
        foreach (var group in named.GroupBy(static n => n.Name, StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            var files = group.Select(static n => n.File).Order(StringComparer.Ordinal).ToList();
            foreach (var file in files)
            {
                diagnostics.Error(DiagnosticCodes.DuplicateName, $"The {kind} '{group.Key}' is declared {files.Count} times ({string.Join(", ", files)}). {fix}", file);
            }
        }
    }
}
