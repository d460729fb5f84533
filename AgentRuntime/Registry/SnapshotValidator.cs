using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Checks again, on the runtime's side, what would make it misbehave if ConfigStore let it through: names that cannot
/// be addressed or are not unique, components whose qualified name disagrees with their plugin, and file entries that
/// escape the repository or carry no usable hash.
/// </summary>
internal static class SnapshotValidator
{
    private const int MaxErrorsReported = 20;

    /// <summary>Returns the problems found; empty when the catalog is fit to serve.</summary>
    public static IReadOnlyList<string> Validate(CatalogSnapshot catalog)
    {
        var errors = new List<string>();
        var pluginNames = new HashSet<string>(StringComparer.Ordinal);
        var agentNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var plugin in catalog.Plugins)
        {
            if (plugin is null || !IsAddressable(plugin.Name))
            {
                errors.Add($"A plugin has the name '{plugin?.Name}': a plugin name must be non-empty, without ':' or '/'.");
                continue;
            }

            if (!pluginNames.Add(plugin.Name))
            {
                errors.Add($"Duplicate plugin name '{plugin.Name}'.");
            }

            foreach (var agent in plugin.Agents)
            {
                CheckComponent(errors, plugin.Name, "agent", agent.Name, agent.QualifiedName);
                if (!agentNames.Add(agent.QualifiedName))
                {
                    errors.Add($"Duplicate agent '{agent.QualifiedName}'.");
                }
            }

            var invocable = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (kind, name, qualified) in plugin.Skills.Select(s => ("skill", s.Name, s.QualifiedName))
                .Concat(plugin.Commands.Select(c => ("command", c.Name, c.QualifiedName))))
            {
                CheckComponent(errors, plugin.Name, kind, name, qualified);
                if (!invocable.Add(qualified))
                {
                    errors.Add($"Duplicate skill or command '{qualified}'.");
                }
            }

            CheckFiles(errors, plugin);
            if (errors.Count >= MaxErrorsReported)
            {
                break;
            }
        }

        return errors;
    }

    private static void CheckComponent(List<string> errors, string plugin, string kind, string name, string qualifiedName)
    {
        if (!IsAddressable(name))
        {
            errors.Add($"Plugin '{plugin}' has a {kind} named '{name}': the name must be non-empty, without ':' or '/'.");
        }
        else if (!string.Equals(qualifiedName, $"{plugin}:{name}", StringComparison.Ordinal))
        {
            errors.Add($"The {kind} '{name}' of plugin '{plugin}' has the qualified name '{qualifiedName}', expected '{plugin}:{name}'.");
        }
    }

    private static void CheckFiles(List<string> errors, PluginDefinition plugin)
    {
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in plugin.Files)
        {
            if (string.IsNullOrEmpty(file.Path) || file.Path.StartsWith('/') || file.Path.Contains('\\', StringComparison.Ordinal)
                || file.Path.Split('/').Any(segment => segment is "" or "." or ".."))
            {
                errors.Add($"Plugin '{plugin.Name}' lists the file path '{file.Path}', which is not a plain relative path inside the repository.");
            }
            else if (!paths.Add(file.Path))
            {
                errors.Add($"Plugin '{plugin.Name}' lists the file '{file.Path}' twice.");
            }

            if (file.Hash is not { Length: 64 } || !file.Hash.All(char.IsAsciiHexDigit))
            {
                errors.Add($"Plugin '{plugin.Name}' lists '{file.Path}' with the hash '{file.Hash}', which is not a SHA-256 in hex.");
            }
        }
    }

    private static bool IsAddressable(string? name) =>
        !string.IsNullOrWhiteSpace(name) && !name.Contains(':', StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal);
}
