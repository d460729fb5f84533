using System.Text;
using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Paths;

/// <summary>
/// Reads a <see cref="RepositoryTree"/> the way a checkout on disk would behave: symbolic links are followed (but never out
/// of the repository), oversized files are not read, and text is decoded as UTF-8 with line endings normalized to <c>\n</c>.
/// </summary>
internal sealed class RepositoryReader(RepositoryTree tree, PluginLoadOptions options, DiagnosticBag diagnostics)
{
    // The same bound as Linux's MAXSYMLINKS: more hops than this is a loop.
    private const int MaxLinkHops = 40;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // Set while a cacheable plugin build runs (PluginBuildCache): notes whether the build looked outside its folder.
    private ReadScope? _scope;

    public RepositoryTree Tree => tree;

    public DiagnosticBag Diagnostics => diagnostics;

    public ResolvedPath Resolve(string path)
    {
        var hops = 0;
        return Resolve(path, ref hops);
    }

    public static string LinkTargetOf(RepositoryFile link) => link.LinkTarget ?? Encoding.UTF8.GetString(link.Content.Span);

    /// <summary>The files and sub-folders directly inside a folder, named by logical path (links inside are listed as what they point to).</summary>
    public FolderListing List(string folder)
    {
        var resolved = Resolve(folder);
        if (resolved.Kind != ResolvedKind.Folder)
        {
            return FolderListing.Empty;
        }

        var files = new SortedSet<string>(StringComparer.Ordinal);
        var folders = new SortedSet<string>(StringComparer.Ordinal);
        var prefixLength = resolved.RealPath.Length == 0 ? 0 : resolved.RealPath.Length + 1;
        foreach (var file in UnderFolder(resolved.RealPath))
        {
            var relative = file.Path[prefixLength..];
            var slash = relative.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                folders.Add(RepositoryPath.Combine(folder, relative[..slash]));
                continue;
            }

            var logical = RepositoryPath.Combine(folder, relative);
            var kind = file.IsSymbolicLink ? Resolve(logical).Kind : ResolvedKind.File;
            (kind == ResolvedKind.Folder ? folders : files).Add(logical);
        }

        return new FolderListing([.. files], [.. folders]);
    }

    /// <summary>The decoded text of a file, or null when it is missing, a link out of the repository, or over the size limit.</summary>
    public string? ReadText(string path)
    {
        var resolved = Resolve(path);
        if (resolved.Kind != ResolvedKind.File || Find(resolved.RealPath) is not { } file)
        {
            return null;
        }

        // Over-size files were reported once, at their real path, by FileGuards.
        if (file.Content.Length > options.MaxFileBytes)
        {
            return null;
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(file.Content.Span);
        }
        catch (DecoderFallbackException)
        {
            diagnostics.Warning(DiagnosticCodes.FileNotText, "The file is not valid UTF-8; undecodable bytes were replaced with U+FFFD.", path);
            text = Encoding.UTF8.GetString(file.Content.Span);
        }

        return NormalizeText(text);
    }

    /// <summary>Drops a byte-order mark and turns CRLF and lone CR into LF, so line numbers and parsing ignore the editor used.</summary>
    public static string NormalizeText(string text)
    {
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        return text.Contains('\r', StringComparison.Ordinal) ? text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n') : text;
    }

    /// <summary>
    /// Starts noting every lookup made until <see cref="EndScope"/>: whether each stays inside <paramref name="root"/> (its
    /// files, or the folders above it). Not reentrant.
    /// </summary>
    public void BeginScope(string root) => _scope = new ReadScope(root);

    /// <summary>Stops noting lookups; true when every lookup since <see cref="BeginScope"/> stayed inside the root.</summary>
    public bool EndScope()
    {
        var inside = _scope is { LeftRoot: false };
        _scope = null;
        return inside;
    }

    private RepositoryFile? Find(string path)
    {
        _scope?.Note(path, ancestorAllowed: true);
        return tree.Find(path);
    }

    private bool IsFolder(string folder)
    {
        _scope?.Note(folder, ancestorAllowed: true);
        return tree.IsFolder(folder);
    }

    private ReadOnlySpan<RepositoryFile> UnderFolder(string folder)
    {
        _scope?.Note(folder, ancestorAllowed: false);
        return tree.UnderFolder(folder);
    }

    private ResolvedPath Resolve(string path, ref int hops)
    {
        var current = "";
        foreach (var segment in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = RepositoryPath.Combine(current, segment);
            if (Find(candidate) is not { IsSymbolicLink: true } link)
            {
                current = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return new ResolvedPath(ResolvedKind.Loop, candidate);
            }

            var target = LinkTargetOf(link);
            var targetPath = RepositoryPath.IsAbsolute(target) ? null : RepositoryPath.Resolve(RepositoryPath.Parent(candidate), target);
            if (targetPath is null)
            {
                return new ResolvedPath(ResolvedKind.Escapes, candidate);
            }

            var inner = Resolve(targetPath, ref hops);
            if (inner.Kind is ResolvedKind.Escapes or ResolvedKind.Loop)
            {
                return inner;
            }

            current = inner.RealPath;
        }

        var kind = Find(current) is { IsSymbolicLink: false } ? ResolvedKind.File
            : IsFolder(current) ? ResolvedKind.Folder
            : ResolvedKind.Missing;
        return new ResolvedPath(kind, current);
    }
}

/// <summary>
/// The lookups of one plugin build. Files and folders inside the root are determined by the root's files; a folder above
/// the root is a folder (not a file) whenever the root holds files, which the cache checks before reusing a build.
/// </summary>
internal sealed class ReadScope(string root)
{
    public bool LeftRoot { get; private set; }

    public void Note(string path, bool ancestorAllowed)
    {
        if (!RepositoryPath.IsWithin(path, root) && !(ancestorAllowed && RepositoryPath.IsWithin(root, path)))
        {
            LeftRoot = true;
        }
    }
}

/// <summary>A folder's direct children, by logical path, sorted.</summary>
internal sealed record FolderListing(IReadOnlyList<string> Files, IReadOnlyList<string> Folders)
{
    public static FolderListing Empty { get; } = new([], []);
}
