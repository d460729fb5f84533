namespace Evergreen.ConfigStore.Plugins.Paths;

/// <summary>Pure string operations on '/'-separated repository paths; the root is the empty string.</summary>
internal static class RepositoryPath
{
    public static string Combine(string folder, string relative) =>
        folder.Length == 0 ? relative : relative.Length == 0 ? folder : folder + "/" + relative;

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string FileName(string path) => path[(path.LastIndexOf('/') + 1)..];

    public static string Stem(string path)
    {
        var name = FileName(path);
        var dot = name.LastIndexOf('.');
        return dot < 0 ? name : name[..dot];
    }

    public static bool IsWithin(string path, string folder) =>
        folder.Length == 0 || (path.StartsWith(folder, StringComparison.Ordinal) && (path.Length == folder.Length || path[folder.Length] == '/'));

    /// <summary>True for paths a manifest must never name: absolute, drive-rooted or home-relative.</summary>
    public static bool IsAbsolute(string path) =>
        path.StartsWith('/') || path.StartsWith('~') || path.StartsWith('\\') || (path.Length >= 2 && path[1] == ':');

    /// <summary>True when a <c>..</c> segment appears anywhere, even one that would stay inside the repository.</summary>
    public static bool HasParentSegment(string path) => path.Replace('\\', '/').Split('/').Contains("..");

    /// <summary>
    /// Resolves <paramref name="relative"/> against <paramref name="folder"/>, collapsing <c>.</c>, <c>..</c> and repeated
    /// slashes. Returns null when the result would climb above the repository root.
    /// </summary>
    public static string? Resolve(string folder, string relative)
    {
        var segments = new List<string>();
        foreach (var segment in Combine(folder, relative.Replace('\\', '/')).Split('/'))
        {
            switch (segment)
            {
                case "" or ".":
                    break;
                case "..":
                    if (segments.Count == 0)
                    {
                        return null;
                    }

                    segments.RemoveAt(segments.Count - 1);
                    break;
                default:
                    segments.Add(segment);
                    break;
            }
        }

        return string.Join('/', segments);
    }
}
