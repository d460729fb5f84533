using System.Text.Json;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Manifest;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Dependencies;

/// <summary>Reads <c>dependencies</c>: each entry <c>"name"</c>, <c>"name@marketplace"</c>, or <c>{name, version, marketplace}</c>.</summary>
internal static class DependencyReader
{
    public static IReadOnlyList<PluginDependency> Read(ManifestField? field, DiagnosticBag diagnostics)
    {
        if (field is null)
        {
            return [];
        }

        if (field.Value.ValueKind != JsonValueKind.Array)
        {
            diagnostics.Warning(DiagnosticCodes.ManifestInvalid, "\"dependencies\" must be a list; it was ignored.", field.File);
            return [];
        }

        var dependencies = new List<PluginDependency>();
        foreach (var item in field.Value.EnumerateArray())
        {
            var dependency = item.ValueKind switch
            {
                JsonValueKind.String => FromName(item.GetString()!, version: null, marketplace: null),
                JsonValueKind.Object when JsonText.GetString(item, "name") is { } name =>
                    FromName(name, JsonText.GetString(item, "version"), JsonText.GetString(item, "marketplace")),
                _ => null,
            };
            if (dependency is null)
            {
                diagnostics.Warning(DiagnosticCodes.ManifestInvalid, $"The dependency {item.GetRawText()} is neither a plugin name nor {{\"name\", \"version\"}}; it was ignored.", field.File);
                continue;
            }

            dependencies.Add(dependency);
        }

        return dependencies;
    }

    private static PluginDependency? FromName(string text, string? version, string? marketplace)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = (at < 0 ? text : text[..at]).Trim();
        return name.Length == 0 ? null : new PluginDependency
        {
            Name = name,
            VersionRange = string.IsNullOrWhiteSpace(version) ? null : version.Trim(),
            Marketplace = marketplace ?? (at < 0 ? null : text[(at + 1)..].Trim()),
        };
    }
}
