using System.Text.Json;
using Evergreen.ConfigStore.Plugins.Diagnostics;
using Evergreen.ConfigStore.Plugins.Manifest;
using Evergreen.ConfigStore.Plugins.Paths;

namespace Evergreen.ConfigStore.Plugins.Components;

/// <summary>
/// Turns a plugin's default folders and its manifest's component paths into the files to read. A manifest path is one
/// string or a list, each <c>./</c>-relative and naming a folder or a single file. <c>agents</c> and <c>commands</c> replace
/// the default folder; <c>skills</c> adds to <c>skills/</c>.
/// </summary>
internal sealed class ComponentLocator(RepositoryReader reader)
{
    private const string SkillFile = "SKILL.md";

    private DiagnosticBag Diagnostics => reader.Diagnostics;

    /// <summary>The <c>.md</c> files of an agents or commands component, at any depth below its folders, sorted.</summary>
    public IReadOnlyList<string> MarkdownFiles(string root, ManifestField? field, string defaultFolder)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        if (field is null || Paths(field) is not { } specs)
        {
            AddMarkdown(RepositoryPath.Combine(root, defaultFolder), files, []);
            return [.. files];
        }

        foreach (var path in specs.Select(spec => Resolve(root, spec, field.File)).OfType<string>())
        {
            if (reader.Resolve(path).Kind == ResolvedKind.Folder)
            {
                AddMarkdown(path, files, []);
            }
            else if (path.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
            {
                files.Add(path);
            }
            else
            {
                Diagnostics.Warning(DiagnosticCodes.ComponentIgnored, $"'{path}' is not a markdown (.md) file; it was ignored.", field.File);
            }
        }

        return [.. files];
    }

    /// <summary>The skill folders (each holding <c>SKILL.md</c>): those under <c>skills/</c>, plus the manifest's.</summary>
    public IReadOnlyList<string> SkillFolders(string root, ManifestField? field)
    {
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        AddSkills(RepositoryPath.Combine(root, "skills"), folders);
        if (field is null || Paths(field) is not { } specs)
        {
            return [.. folders];
        }

        foreach (var path in specs.Select(spec => Resolve(root, spec, field.File)).OfType<string>())
        {
            if (reader.Resolve(path).Kind == ResolvedKind.File)
            {
                if (RepositoryPath.FileName(path) == SkillFile)
                {
                    folders.Add(RepositoryPath.Parent(path));
                }
                else
                {
                    Diagnostics.Warning(DiagnosticCodes.ComponentIgnored, $"'{path}' is not a {SkillFile} file; a skill path names a skill folder, a folder of skills, or a {SkillFile}.", field.File);
                }
            }
            else if (reader.Resolve(RepositoryPath.Combine(path, SkillFile)).Kind == ResolvedKind.File)
            {
                folders.Add(path);
            }
            else
            {
                AddSkills(path, folders);
            }
        }

        return [.. folders];
    }

    /// <summary>The paths a manifest field lists (one string or a list of strings); null, with a warning, for any other value.</summary>
    public IReadOnlyList<string>? Paths(ManifestField field)
    {
        switch (field.Value.ValueKind)
        {
            case JsonValueKind.String:
                return [field.Value.GetString()!];
            case JsonValueKind.Array when field.Value.EnumerateArray().All(static item => item.ValueKind == JsonValueKind.String):
                return [.. field.Value.EnumerateArray().Select(static item => item.GetString()!)];
            default:
                Diagnostics.Warning(DiagnosticCodes.ComponentPathInvalid, $"A component path must be a './' path or a list of them, not {field.Value.ValueKind}; the default location was used.", field.File);
                return null;
        }
    }

    /// <summary>The logical path a manifest's <c>./</c> path names inside <paramref name="root"/>, or null (with a diagnostic) when it is unusable.</summary>
    public string? Resolve(string root, string spec, string file)
    {
        if (RepositoryPath.IsAbsolute(spec))
        {
            Diagnostics.Error(DiagnosticCodes.PathEscapesRepository, $"'{spec}' is an absolute path. Component paths are relative to the plugin folder and start with './'.", file);
            return null;
        }

        if (!spec.StartsWith("./", StringComparison.Ordinal))
        {
            Diagnostics.Warning(DiagnosticCodes.ComponentPathInvalid, $"'{spec}' should start with './'; it was read relative to the plugin folder.", file);
        }

        if (RepositoryPath.Resolve(root, spec) is not { } path)
        {
            Diagnostics.Error(DiagnosticCodes.PathEscapesRepository, $"'{spec}' climbs out of the repository.", file);
            return null;
        }

        if (!RepositoryPath.IsWithin(path, root))
        {
            Diagnostics.Warning(DiagnosticCodes.ComponentPathInvalid, $"'{spec}' points outside the plugin folder '{root}'; it was ignored.", file);
            return null;
        }

        var resolved = reader.Resolve(path);
        switch (resolved.Kind)
        {
            case ResolvedKind.Escapes:
                Diagnostics.Error(DiagnosticCodes.PathEscapesRepository, $"'{spec}' passes through the symbolic link '{resolved.RealPath}', which leads out of the repository.", file);
                return null;
            case ResolvedKind.Missing or ResolvedKind.Loop:
                Diagnostics.Warning(DiagnosticCodes.PathNotFound, $"'{spec}' names nothing in the repository ('{path}'); it was ignored.", file);
                return null;
            default:
                return path;
        }
    }

    private void AddMarkdown(string folder, SortedSet<string> files, HashSet<string> visited)
    {
        // Following links can revisit a real folder; remember real paths so a link cycle ends.
        if (!visited.Add(reader.Resolve(folder).RealPath))
        {
            return;
        }

        var listing = reader.List(folder);
        files.UnionWith(listing.Files.Where(static f => f.EndsWith(".md", StringComparison.OrdinalIgnoreCase)));
        foreach (var child in listing.Folders)
        {
            AddMarkdown(child, files, visited);
        }
    }

    private void AddSkills(string folder, SortedSet<string> folders)
    {
        foreach (var child in reader.List(folder).Folders)
        {
            var listing = reader.List(child);
            if (listing.Files.Contains(RepositoryPath.Combine(child, SkillFile)))
            {
                folders.Add(child);
            }
            else if (listing.Files.FirstOrDefault(static f => RepositoryPath.FileName(f).Equals(SkillFile, StringComparison.OrdinalIgnoreCase)) is { } misnamed)
            {
                Diagnostics.Warning(DiagnosticCodes.ComponentIgnored, $"The skill file must be named exactly {SkillFile}; '{RepositoryPath.FileName(misnamed)}' was not loaded.", misnamed);
            }
        }
    }
}
