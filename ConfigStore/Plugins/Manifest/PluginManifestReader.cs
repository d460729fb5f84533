using System.Text.Json;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Discovery;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Manifest;

/// <summary>
/// Reads a candidate's <c>.claude-plugin/plugin.json</c> and merges its marketplace entry. A missing or broken manifest
/// never drops the plugin: it is then named by its entry or its folder.
/// </summary>
internal static class PluginManifestReader
{
    // The project folder is not a plugin to Claude Code; Evergreen addresses its agents as "project:agent".
    public const string ProjectPluginName = "project";

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "name", "version", "description", "author", "agents", "commands", "skills", "hooks", "mcpServers", "dependencies", "source", "strict",
    };

    public static PluginManifest? Read(PluginCandidate candidate, RepositoryReader reader)
    {
        var diagnostics = reader.Diagnostics;
        var manifestPath = RepositoryPath.Combine(candidate.Root, PluginDiscovery.ManifestPath);
        var hasFile = reader.Resolve(manifestPath).Kind == ResolvedKind.File;
        var manifest = hasFile ? JsonText.ReadObject(reader, manifestPath) : null;
        var entry = candidate.MarketplaceEntry;
        var folderName = candidate.Origin == PluginOrigin.Project ? ProjectPluginName : RepositoryPath.FileName(candidate.Root);

        if (!hasFile && !candidate.ManifestOptional)
        {
            var message = entry is null
                ? $"The plugin has no {PluginDiscovery.ManifestPath}; it is named after its folder, '{folderName}'."
                : $"The plugin has no {PluginDiscovery.ManifestPath} and its marketplace entry does not set \"strict\": false; the entry was used as its manifest.";
            diagnostics.Warning(DiagnosticCodes.ManifestMissing, message, candidate.Root);
        }

        var entryName = entry is { } e ? JsonText.GetString(e, "name") : null;
        var manifestName = manifest is { } m ? JsonText.GetString(m, "name") : null;
        if (entryName is not null && manifestName is not null && entryName != manifestName)
        {
            diagnostics.Warning(DiagnosticCodes.ManifestConflict, $"plugin.json names the plugin '{manifestName}' but its marketplace entry names it '{entryName}'; the marketplace name is used.", manifestPath);
        }
        else if (manifest is not null && manifestName is null && entryName is null)
        {
            diagnostics.Warning(DiagnosticCodes.ManifestInvalid, $"plugin.json has no \"name\"; the plugin is named after its folder, '{folderName}'.", manifestPath);
        }

        var name = entryName ?? manifestName ?? folderName;
        if (name.Length == 0)
        {
            diagnostics.Warning(DiagnosticCodes.PluginUnnamed, "The plugin has no name (no manifest name and no folder name); it was not loaded.", manifestPath);
            return null;
        }

        var manifestVersion = Scalar(manifest, "version");
        var entryVersion = Scalar(entry, "version");
        if (manifestVersion is not null && entryVersion is not null && manifestVersion != entryVersion)
        {
            diagnostics.Warning(DiagnosticCodes.ManifestConflict, $"plugin.json says version {manifestVersion} but the marketplace entry says {entryVersion}; plugin.json wins.", manifestPath);
        }

        return new PluginManifest
        {
            Name = name,
            Version = manifestVersion ?? entryVersion,
            Description = Scalar(manifest, "description") ?? Scalar(entry, "description"),
            Author = Author(Field("author"), diagnostics),
            ManifestFile = hasFile ? manifestPath : null,
            Agents = Field("agents"),
            Commands = Field("commands"),
            Skills = Field("skills"),
            Hooks = Field("hooks"),
            McpServers = Field("mcpServers"),
            Dependencies = Field("dependencies"),
            Metadata = Metadata(entry, manifest),
        };

        ManifestField? Field(string property) =>
            JsonText.GetProperty(manifest, property) is { } fromManifest ? new ManifestField(fromManifest, manifestPath)
            : JsonText.GetProperty(entry, property) is { } fromEntry ? new ManifestField(fromEntry, MarketplaceReader.MarketplaceFile)
            : null;
    }

    private static string? Scalar(JsonElement? element, string property) => JsonText.GetProperty(element, property) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    private static PluginAuthor? Author(ManifestField? field, DiagnosticBag diagnostics)
    {
        switch (field?.Value)
        {
            case null:
                return null;
            case { ValueKind: JsonValueKind.String } name:
                return new PluginAuthor { Name = name.GetString() };
            case { ValueKind: JsonValueKind.Object } author:
                return new PluginAuthor { Name = JsonText.GetString(author, "name"), Email = JsonText.GetString(author, "email"), Url = JsonText.GetString(author, "url") };
            default:
                diagnostics.Warning(DiagnosticCodes.ManifestInvalid, "\"author\" should be a name or an object with name, email and url; it was ignored.", field.File);
                return null;
        }
    }

    private static SortedDictionary<string, JsonElement> Metadata(JsonElement? entry, JsonElement? manifest)
    {
        var metadata = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var source in new[] { entry, manifest })
        {
            if (source is not { ValueKind: JsonValueKind.Object } value)
            {
                continue;
            }

            foreach (var property in value.EnumerateObject().Where(static p => !KnownFields.Contains(p.Name)))
            {
                metadata[property.Name] = property.Value.Clone();
            }
        }

        return metadata;
    }
}
