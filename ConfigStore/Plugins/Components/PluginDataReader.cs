using System.Text.Json;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Manifest;
using Evergreen.ConfigStore.Plugins.Paths;

namespace Evergreen.ConfigStore.Plugins.Components;

/// <summary>
/// Reads the JSON a plugin carries as data: hooks (<c>hooks/hooks.json</c>) and MCP servers (<c>.mcp.json</c>). The
/// manifest may name another file or give the configuration inline. Kept and shown; Evergreen never executes them.
/// </summary>
internal sealed class PluginDataReader(RepositoryReader reader, ComponentLocator locator)
{
    public (JsonElement? Value, string? File) Hooks(string root, ManifestField? field) =>
        Read(root, field, "hooks/hooks.json");

    /// <summary>The server map: <c>{"mcpServers": {…}}</c> and the bare <c>{name: {…}}</c> form both give the inner object.</summary>
    public (JsonElement? Value, string? File) McpServers(string root, ManifestField? field)
    {
        var (value, file) = Read(root, field, ".mcp.json");
        if (value is not { } element)
        {
            return (null, file);
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            reader.Diagnostics.Warning(DiagnosticCodes.ManifestInvalid, $"MCP servers must be a JSON object keyed by server name, not {element.ValueKind}; they were ignored.", file ?? field?.File);
            return (null, file);
        }

        return (element.TryGetProperty("mcpServers", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : element, file);
    }

    private (JsonElement? Value, string? File) Read(string root, ManifestField? field, string defaultFile)
    {
        if (field is { Value.ValueKind: JsonValueKind.Object })
        {
            return (field.Value, null);
        }

        if (field is not null && locator.Paths(field) is { } paths)
        {
            if (paths.Count > 1)
            {
                reader.Diagnostics.Warning(DiagnosticCodes.ComponentIgnored, $"Only the first of {paths.Count} files is kept ('{paths[0]}').", field.File);
            }

            return paths.Count > 0 && locator.Resolve(root, paths[0], field.File) is { } path ? (JsonText.Read(reader, path), path) : (null, null);
        }

        var defaultPath = RepositoryPath.Combine(root, defaultFile);
        return reader.Resolve(defaultPath).Kind == ResolvedKind.File ? (JsonText.Read(reader, defaultPath), defaultPath) : (null, null);
    }
}
