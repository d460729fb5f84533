using System.Text.Json;
using System.Text.RegularExpressions;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Manifest;
using Evergreen.ConfigStore.Plugins.Paths;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Discovery;

/// <summary>
/// Reads <c>.claude-plugin/marketplace.json</c>. Sources resolve from the marketplace root (the folder holding
/// <c>.claude-plugin/</c>), as Claude Code resolves them; a bare name is placed under <c>metadata.pluginRoot</c>.
/// </summary>
internal static partial class MarketplaceReader
{
    public const string MarketplaceFile = ".claude-plugin/marketplace.json";

    /// <summary>The marketplace's plugins, or null when the repository has no readable marketplace file.</summary>
    public static DiscoveryResult? Read(RepositoryReader reader)
    {
        if (reader.Resolve(MarketplaceFile).Kind != ResolvedKind.File || JsonText.ReadObject(reader, MarketplaceFile) is not { } marketplace)
        {
            return null;
        }

        var diagnostics = reader.Diagnostics;
        var pluginRoot = PluginRoot(marketplace, diagnostics);
        var candidates = new List<PluginCandidate>();
        var remote = new List<RemotePluginReference>();
        var entries = JsonText.GetProperty(marketplace, "plugins");
        if (entries is not { ValueKind: JsonValueKind.Array } list)
        {
            diagnostics.Warning(DiagnosticCodes.ManifestInvalid, "The marketplace has no 'plugins' array; it lists no plugins.", MarketplaceFile);
            return new DiscoveryResult(JsonText.GetString(marketplace, "name"), candidates, remote);
        }

        var index = 0;
        foreach (var entry in list.EnumerateArray())
        {
            var label = JsonText.GetString(entry, "name") is { } name ? $"'{name}'" : $"plugins[{index}]";
            index++;
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("source", out var source))
            {
                diagnostics.Warning(DiagnosticCodes.MarketplaceSourceInvalid, $"Marketplace entry {label} has no 'source'; it was skipped.", MarketplaceFile);
                continue;
            }

            if (source.ValueKind == JsonValueKind.Object)
            {
                remote.Add(Remote(entry, label, JsonText.GetString(source, "source") ?? "unknown", source, diagnostics));
            }
            else if (source.ValueKind != JsonValueKind.String)
            {
                diagnostics.Warning(DiagnosticCodes.MarketplaceSourceInvalid, $"Marketplace entry {label} has a 'source' that is neither a path nor an object; it was skipped.", MarketplaceFile);
            }
            else if (LocalRoot(reader, source.GetString()!, pluginRoot, label) is { } local)
            {
                if (local.Root is { } root)
                {
                    var strict = JsonText.GetProperty(entry, "strict") is not { ValueKind: JsonValueKind.False };
                    candidates.Add(new PluginCandidate(root, PluginOrigin.Marketplace) { MarketplaceEntry = entry, ManifestOptional = !strict });
                }
                else
                {
                    remote.Add(Remote(entry, label, local.RemoteType!, source, diagnostics));
                }
            }
        }

        return new DiscoveryResult(JsonText.GetString(marketplace, "name"), candidates, remote);
    }

    /// <summary>The folder a string source names, a remote type when it names something outside, or null when it is unusable.</summary>
    private static (string? Root, string? RemoteType)? LocalRoot(RepositoryReader reader, string source, string? pluginRoot, string label)
    {
        var diagnostics = reader.Diagnostics;
        if (RepositoryPath.HasParentSegment(source))
        {
            diagnostics.Error(
                DiagnosticCodes.MarketplaceSourceTraversal,
                $"Marketplace entry {label} has the source '{source}', which contains '..'. Sources must stay inside the marketplace: use a './' path to the plugin's folder.",
                MarketplaceFile);
            return null;
        }

        if (RepositoryPath.IsAbsolute(source))
        {
            diagnostics.Error(DiagnosticCodes.PathEscapesRepository, $"Marketplace entry {label} has the absolute source '{source}'. Use a './' path inside the repository.", MarketplaceFile);
            return null;
        }

        string relative;
        if (source == "." || source.StartsWith("./", StringComparison.Ordinal))
        {
            relative = source;
        }
        else if (source.Contains("://", StringComparison.Ordinal) || source.StartsWith("git@", StringComparison.Ordinal))
        {
            return (null, "url");
        }
        else if (pluginRoot is not null)
        {
            relative = RepositoryPath.Combine(pluginRoot, source);
        }
        else if (reader.Resolve(RepositoryPath.Resolve("", source)!).Kind == ResolvedKind.Folder)
        {
            diagnostics.Warning(DiagnosticCodes.MarketplaceSourceInvalid, $"Marketplace entry {label} has the source '{source}'; Claude Code needs './{source}'. It was read as './{source}'.", MarketplaceFile);
            relative = source;
        }
        else if (GitHubShorthand().IsMatch(source))
        {
            return (null, "github");
        }
        else
        {
            relative = source;
        }

        var root = RepositoryPath.Resolve("", relative)!;
        var resolved = reader.Resolve(root);
        switch (resolved.Kind)
        {
            case ResolvedKind.Folder:
                return (root, null);
            case ResolvedKind.Escapes:
                diagnostics.Error(DiagnosticCodes.PathEscapesRepository, $"Marketplace entry {label} has the source '{source}', which passes through the symbolic link '{resolved.RealPath}' out of the repository.", MarketplaceFile);
                return null;
            default:
                diagnostics.Warning(DiagnosticCodes.PathNotFound, $"Marketplace entry {label} has the source '{source}', but the repository has no folder '{root}'; it was skipped.", MarketplaceFile);
                return null;
        }
    }

    private static string? PluginRoot(JsonElement marketplace, DiagnosticBag diagnostics)
    {
        if (JsonText.GetProperty(JsonText.GetProperty(marketplace, "metadata"), "pluginRoot") is not { ValueKind: JsonValueKind.String } value)
        {
            return null;
        }

        var pluginRoot = value.GetString()!;
        if (RepositoryPath.HasParentSegment(pluginRoot) || RepositoryPath.IsAbsolute(pluginRoot))
        {
            diagnostics.Error(DiagnosticCodes.MarketplaceSourceTraversal, $"metadata.pluginRoot '{pluginRoot}' leaves the marketplace; it was ignored. Use a './' path.", MarketplaceFile);
            return null;
        }

        return RepositoryPath.Resolve("", pluginRoot);
    }

    private static RemotePluginReference Remote(JsonElement entry, string label, string type, JsonElement source, DiagnosticBag diagnostics)
    {
        diagnostics.Warning(
            DiagnosticCodes.MarketplaceRemoteSource,
            $"Marketplace entry {label} comes from a {type} source outside this repository; it is listed but not fetched, so its agents, skills and commands are not loaded.",
            MarketplaceFile);
        return new RemotePluginReference
        {
            Name = JsonText.GetString(entry, "name") ?? label,
            SourceType = type,
            Source = source.Clone(),
            Description = JsonText.GetString(entry, "description"),
        };
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    private static partial Regex GitHubShorthand();
}
