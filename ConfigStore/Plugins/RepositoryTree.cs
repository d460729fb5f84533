namespace Evergreen.ConfigStore.Plugins;

/// <summary>
/// The files of one commit (or of a working folder), with lookups by path and by folder. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Folders are implied by file paths, as in git: a folder exists when some file lies under it. Files are kept sorted by
/// ordinal path so that a folder's files are one contiguous range, found by binary search.
/// </remarks>
public sealed class RepositoryTree
{
    private readonly RepositoryFile[] _files;
    private readonly IReadOnlyList<RepositoryFile> _readOnlyFiles;
    private readonly Dictionary<string, RepositoryFile> _byPath;

    /// <summary>Builds a tree from files in any order.</summary>
    /// <exception cref="ArgumentException">A path is empty, absolute, has empty, <c>.</c> or <c>..</c> segments, or appears twice.</exception>
    public RepositoryTree(IEnumerable<RepositoryFile> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        _files = [.. files];
        Array.Sort(_files, static (a, b) => string.CompareOrdinal(a.Path, b.Path));
        _readOnlyFiles = Array.AsReadOnly(_files);
        _byPath = new Dictionary<string, RepositoryFile>(_files.Length, StringComparer.Ordinal);
        foreach (var file in _files)
        {
            // A reader that hands over such a path has a bug; git itself never produces one.
            if (!IsWellFormed(file.Path))
            {
                throw new ArgumentException($"'{file.Path}' is not a relative '/'-separated repository path.", nameof(files));
            }

            if (!_byPath.TryAdd(file.Path, file))
            {
                throw new ArgumentException($"'{file.Path}' appears twice.", nameof(files));
            }
        }
    }

    /// <summary>An empty tree.</summary>
    public static RepositoryTree Empty { get; } = new([]);

    /// <summary>Every file, sorted by ordinal path.</summary>
    public IReadOnlyList<RepositoryFile> Files => _readOnlyFiles;

    /// <summary>The file at <paramref name="path"/>, or null.</summary>
    public RepositoryFile? Find(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>True when some file lies under <paramref name="folder"/> (the empty string is the root).</summary>
    public bool IsFolder(string folder)
    {
        if (folder.Length == 0)
        {
            return _files.Length > 0;
        }

        var prefix = folder + "/";
        var first = LowerBound(prefix);
        return first < _files.Length && _files[first].Path.StartsWith(prefix, StringComparison.Ordinal);
    }

    /// <summary>Every file under <paramref name="folder"/>, at any depth, sorted by path.</summary>
    public ReadOnlySpan<RepositoryFile> UnderFolder(string folder)
    {
        if (folder.Length == 0)
        {
            return _files;
        }

        var prefix = folder + "/";
        var start = LowerBound(prefix);
        var end = start;
        while (end < _files.Length && _files[end].Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            end++;
        }

        return _files.AsSpan(start, end - start);
    }

    private int LowerBound(string prefix)
    {
        int low = 0, high = _files.Length;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (string.CompareOrdinal(_files[middle].Path, prefix) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    // A backslash is an ordinary character in a git file name, so it is allowed here.
    private static bool IsWellFormed(string path) =>
        path.Length > 0 && path.Split('/').All(static segment => segment is not ("" or "." or ".."));
}
