using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Semver;

namespace Evergreen.ConfigStore.Plugins.Dependencies;

/// <summary>
/// Checks dependencies against the revision: each names a plugin present in it, whose version satisfies the range, and
/// no chain of dependencies comes back to where it started. Dependencies on another marketplace cannot be checked here.
/// </summary>
internal static class DependencyValidator
{
    public static void Check(IReadOnlyList<LoadedPlugin> plugins, string? marketplaceName, DiagnosticBag diagnostics)
    {
        var byName = plugins.GroupBy(static p => p.Definition.Name, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            var definition = plugin.Definition;
            var targets = edges.TryGetValue(definition.Name, out var list) ? list : edges[definition.Name] = [];
            foreach (var dependency in definition.Dependencies)
            {
                if (dependency.Marketplace is { } marketplace && marketplace != marketplaceName)
                {
                    diagnostics.Warning(DiagnosticCodes.DependencyUnchecked, $"'{definition.Name}' depends on '{dependency.Name}' from marketplace '{marketplace}', which this repository does not hold; it was not checked.", plugin.DeclarationFile);
                    continue;
                }

                if (!byName.TryGetValue(dependency.Name, out var target))
                {
                    diagnostics.Error(DiagnosticCodes.DependencyMissing, $"'{definition.Name}' depends on '{dependency.Name}', which is not in this revision. Add the plugin or remove the dependency.", plugin.DeclarationFile);
                    continue;
                }

                targets.Add(dependency.Name);
                if (dependency.VersionRange is not { } rangeText)
                {
                    continue;
                }

                if (VersionRange.Parse(rangeText) is not { } range)
                {
                    diagnostics.Warning(DiagnosticCodes.DependencyUnchecked, $"'{definition.Name}' depends on '{dependency.Name}' with the range '{rangeText}', which is not a semantic-version range; the version was not checked.", plugin.DeclarationFile);
                }
                else if (SemanticVersion.Parse(target.Definition.Version) is not { } version || !range.IsSatisfiedBy(version))
                {
                    var found = target.Definition.Version is { } v ? $"version {v}" : "no version";
                    diagnostics.Error(DiagnosticCodes.DependencyVersionUnsatisfied, $"'{definition.Name}' needs '{dependency.Name}' {rangeText}, but the revision has {found}.", plugin.DeclarationFile);
                }
            }
        }

        foreach (var cycle in Cycles(edges))
        {
            var file = byName[cycle[0]].DeclarationFile;
            diagnostics.Error(DiagnosticCodes.DependencyCycle, $"The dependencies form a cycle: {string.Join(" → ", cycle)}. Remove one of them.", file);
        }
    }

    /// <summary>Every cycle found by depth-first search, each once, rotated to start at its smallest name (so the report is stable).</summary>
    private static List<List<string>> Cycles(Dictionary<string, List<string>> edges)
    {
        var cycles = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (var start in edges.Keys.Order(StringComparer.Ordinal))
        {
            Visit(start);
        }

        return [.. cycles.OrderBy(static c => c.Key, StringComparer.Ordinal).Select(static c => c.Value)];

        void Visit(string node)
        {
            var onPath = path.IndexOf(node);
            if (onPath >= 0)
            {
                var members = path[onPath..];
                var first = members.IndexOf(members.Min(StringComparer.Ordinal)!);
                var rotated = members[first..].Concat(members[..first]).ToList();
                rotated.Add(rotated[0]);
                cycles.TryAdd(string.Join('\n', rotated), rotated);
                return;
            }

            if (done.Contains(node))
            {
                return;
            }

            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                Visit(next);
            }

            path.RemoveAt(path.Count - 1);
            done.Add(node);
        }
    }
}
