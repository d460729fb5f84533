using System.Text;
using Evergreen.ConfigStore.Plugins;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Git;

/// <summary>
/// Reads commit trees as <see cref="GitCommitReader.ReadTree(Tree)"/> does, reusing what the previous read found: a
/// folder whose git tree id is unchanged yields the same files without being walked, and a blob already read yields its
/// bytes (and its <see cref="ContentHashes">content hash</see>) without being read again. Git ids name content, so a
/// reused entry is exactly what a fresh read would give; a cold cache (after a restart) only costs time.
/// </summary>
/// <remarks>
/// Keeps only what the latest read used, so it holds at most one tree's files. Reads are serialized by the caller (the
/// sync loop); the cached state is an immutable generation replaced after each read, so a failed read leaves the previous
/// one in place.
/// </remarks>
internal sealed class GitTreeCache
{
    private Generation _current = Generation.Empty;

    /// <summary>Every blob of <paramref name="tree"/>, like <see cref="GitCommitReader.ReadTree(Tree)"/>.</summary>
    public RepositoryTree Read(Tree tree)
    {
        var previous = Volatile.Read(ref _current);
        var next = new Generation();
        var files = new List<CachedFile>();
        Walk(tree, string.Empty, files, previous, next);
        Volatile.Write(ref _current, next);
        return new RepositoryTree(files.Select(static f => f.File));
    }

    private static void Walk(Tree tree, string prefix, List<CachedFile> files, Generation previous, Generation next)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    var key = new FolderKey(path, entry.Target.Id);
                    if (previous.Folders.TryGetValue(key, out var known))
                    {
                        files.AddRange(known);
                        foreach (var file in known)
                        {
                            next.Blobs[file.Blob] = file.File;
                        }
                    }
                    else
                    {
                        var start = files.Count;
                        Walk((Tree)entry.Target, path + "/", files, previous, next);
                        known = files.GetRange(start, files.Count - start).ToArray();
                    }

                    next.Folders[key] = known;
                    break;
                case TreeEntryTargetType.Blob:
                    var read = ReadFile(entry, path, previous);
                    next.Blobs[read.Blob] = read.File;
                    files.Add(read);
                    break;
                default:
                    // A submodule (gitlink) has no content in this repository.
                    break;
            }
        }
    }

    private static CachedFile ReadFile(TreeEntry entry, string path, Generation previous)
    {
        var id = entry.Target.Id;
        var isLink = entry.Mode == Mode.SymbolicLink;
        if (previous.Blobs.TryGetValue(id, out var known) && known.Path == path && known.IsSymbolicLink == isLink)
        {
            return new CachedFile(id, known);
        }

        var content = known?.Content ?? GitCommitReader.ReadBlob((Blob)entry.Target);
        var file = isLink
            ? new RepositoryFile(path, content, IsSymbolicLink: true, LinkTarget: Encoding.UTF8.GetString(content.Span))
            : new RepositoryFile(path, content);
        return new CachedFile(id, file);
    }

    private readonly record struct FolderKey(string Path, ObjectId Id);

    private readonly record struct CachedFile(ObjectId Blob, RepositoryFile File);

    private sealed class Generation
    {
        public static readonly Generation Empty = new();

        public Dictionary<FolderKey, CachedFile[]> Folders { get; } = [];

        public Dictionary<ObjectId, RepositoryFile> Blobs { get; } = [];
    }
}
