using System.Buffers;
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
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>Returns the problems found; empty when the catalog is fit to serve.</summary>
    public static IReadOnlyList<string> Validate(CatalogSnapshot catalog) => Validate(catalog, null);

    /// <summary>
    /// As <see cref="Validate(CatalogSnapshot)"/>, but the checks that concern one plugin alone (its components' names and its
    /// files) are skipped for the plugins in <paramref name="alreadyValidated"/>: those objects come from a revision that
    /// passed validation. Uniqueness across the catalog is always checked.
    /// </summary>
    public static IReadOnlyList<string> Validate(CatalogSnapshot catalog, IReadOnlySet<PluginDefinition>? alreadyValidated)
    {
        var errors = new List<string>();
        var pluginNames = new HashSet<string>(catalog.Plugins.Count, StringComparer.Ordinal);
        var agentNames = new HashSet<string>(catalog.Plugins.Count * 4, StringComparer.Ordinal);
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

            var validated = alreadyValidated?.Contains(plugin) == true;
            foreach (var agent in plugin.Agents)
            {
                if (!validated)
                {
                    CheckComponent(errors, plugin.Name, "agent", agent.Name, agent.QualifiedName);
                }

                if (!agentNames.Add(agent.QualifiedName))
                {
                    errors.Add($"Duplicate agent '{agent.QualifiedName}'.");
                }
            }

            if (!validated)
            {
                CheckPluginAlone(errors, plugin);
            }

            if (errors.Count >= MaxErrorsReported)
            {
                break;
            }
        }

        return errors;
    }

    private static void CheckPluginAlone(List<string> errors, PluginDefinition plugin)
    {
        var invocable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var skill in plugin.Skills)
        {
            CheckInvocable(errors, invocable, plugin.Name, "skill", skill.Name, skill.QualifiedName);
        }

        foreach (var command in plugin.Commands)
        {
            CheckInvocable(errors, invocable, plugin.Name, "command", command.Name, command.QualifiedName);
        }

        CheckFiles(errors, plugin);
    }

    private static void CheckInvocable(List<string> errors, HashSet<string> invocable, string plugin, string kind, string name, string qualifiedName)
    {
        CheckComponent(errors, plugin, kind, name, qualifiedName);
        if (!invocable.Add(qualifiedName))
        {
            errors.Add($"Duplicate skill or command '{qualifiedName}'.");
        }
    }

    private static void CheckComponent(List<string> errors, string plugin, string kind, string name, string qualifiedName)
    {
        if (!IsAddressable(name))
        {
            errors.Add($"Plugin '{plugin}' has a {kind} named '{name}': the name must be non-empty, without ':' or '/'.");
        }
        else if (!IsQualified(qualifiedName, plugin, name))
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
                || HasEmptyOrDotSegment(file.Path))
            {
                errors.Add($"Plugin '{plugin.Name}' lists the file path '{file.Path}', which is not a plain relative path inside the repository.");
            }
            else if (!paths.Add(file.Path))
            {
                errors.Add($"Plugin '{plugin.Name}' lists the file '{file.Path}' twice.");
            }

            if (file.Hash is not { Length: 64 } || file.Hash.AsSpan().ContainsAnyExcept(HexDigits))
            {
                errors.Add($"Plugin '{plugin.Name}' lists '{file.Path}' with the hash '{file.Hash}', which is not a SHA-256 in hex.");
            }
        }
    }

    /// <summary>True when a '/'-separated segment of <paramref name="path"/> is empty, "." or "..".</summary>
    private static bool HasEmptyOrDotSegment(string path)
    {
        foreach (var range in path.AsSpan().Split('/'))
        {
            if (path.AsSpan(range) is [] or ['.'] or ['.', '.'])
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="qualifiedName"/> is <c>plugin:name</c>, compared without building that string.</summary>
    private static bool IsQualified(string? qualifiedName, string plugin, string name) =>
        qualifiedName is not null
        && qualifiedName.Length == plugin.Length + 1 + name.Length
        && qualifiedName.StartsWith(plugin, StringComparison.Ordinal)
        && qualifiedName[plugin.Length] == ':'
        && qualifiedName.EndsWith(name, StringComparison.Ordinal);

    private static bool IsAddressable(string? name) =>
        !string.IsNullOrWhiteSpace(name) && !name.Contains(':', StringComparison.Ordinal) && !name.Contains('/', StringComparison.Ordinal);
}
