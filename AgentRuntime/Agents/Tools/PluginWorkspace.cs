using System.Text;
using Evergreen.Contracts.Proposals;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>
/// One run's view of its plugin's files: the captured revision's files with the run's own writes laid over them.
/// Paths are accepted relative to the plugin folder or to the repository, and never leave the plugin folder.
/// Not thread-safe: a run executes its tool calls one after another.
/// </summary>
internal sealed class PluginWorkspace
{
    private readonly IPluginFileSource _source;
    private readonly Dictionary<string, PluginFile> _files;
    private readonly SortedDictionary<string, string> _overlay = new(StringComparer.Ordinal);

    public PluginWorkspace(PluginDefinition plugin, IPluginFileSource source, long maxFileBytes)
    {
        Plugin = plugin;
        _source = source;
        MaxFileBytes = maxFileBytes;
        Root = plugin.Root.Trim('/');
        _files = plugin.Files.ToDictionary(f => f.Path, StringComparer.Ordinal);
    }

    public PluginDefinition Plugin { get; }

    /// <summary>The plugin's folder, repository-relative, without a trailing '/'; empty for the repository root.</summary>
    public string Root { get; }

    /// <summary>The largest file the run may read or write.</summary>
    public long MaxFileBytes { get; }

    public bool HasChanges => _overlay.Count > 0;

    /// <summary><see cref="TryResolve"/>, failing the tool call with the reason when the path is refused.</summary>
    public string Resolve(string? path) => TryResolve(path, out var repoPath, out var error) ? repoPath : throw new ToolException(error);

    /// <summary>
    /// Turns a path the model wrote into a repository-relative path inside the plugin folder. A leading '/' or './' is
    /// read as the plugin folder; a path already starting with the plugin folder is taken as repository-relative.
    /// </summary>
    public bool TryResolve(string? path, out string repoPath, out string error)
    {
        repoPath = "";
        var text = (path ?? "").Trim().Replace('\\', '/');
        while (text.StartsWith("./", StringComparison.Ordinal))
        {
            text = text[2..];
        }

        text = text.TrimStart('/');
        var segments = text.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != ".").ToArray();
        if (segments.Length == 0)
        {
            error = $"'{path}' is not a file path: give a path inside the plugin folder, e.g. 'agents/reviewer.md'.";
            return false;
        }

        if (segments.Any(s => s == ".." || s.Any(char.IsControl)))
        {
            error = $"'{path}' leaves the plugin folder: only files inside the plugin '{Plugin.Name}' can be used, without '..'.";
            return false;
        }

        var relative = string.Join('/', segments);
        if (Root.Length == 0)
        {
            repoPath = relative;
        }
        else
        {
            var underRoot = $"{Root}/{relative}";
            var isRepoRelative = relative.StartsWith(Root + "/", StringComparison.Ordinal);
            // "root/x" is repository-relative unless only the plugin-relative reading names an existing file.
            repoPath = isRepoRelative && !(Exists(underRoot) && !Exists(relative)) ? relative : underRoot;
        }

        error = "";
        return true;
    }

    /// <summary>The path as the model sees it: relative to the plugin folder.</summary>
    public string ToPluginPath(string repoPath) =>
        Root.Length == 0 ? repoPath
        : repoPath.StartsWith(Root + "/", StringComparison.Ordinal) ? repoPath[(Root.Length + 1)..]
        : string.Equals(repoPath, Root, StringComparison.Ordinal) ? "." : repoPath;

    public bool Exists(string repoPath) =>
        _overlay.ContainsKey(repoPath) || (_files.TryGetValue(repoPath, out var file) && !file.IsSymbolicLink);

    /// <summary>Every readable file, repository-relative and sorted: the snapshot's files plus the run's new files.</summary>
    public IReadOnlyList<string> ListFiles() =>
        [.. _files.Values.Where(f => !f.IsSymbolicLink).Select(f => f.Path).Union(_overlay.Keys).Order(StringComparer.Ordinal)];

    /// <summary>The file's text, the run's own version first; null when the plugin has no such file.</summary>
    /// <exception cref="ToolException">When the file is a symbolic link, too large or not UTF-8 text.</exception>
    public async ValueTask<string?> ReadTextAsync(string repoPath, CancellationToken cancellationToken)
    {
        if (_overlay.TryGetValue(repoPath, out var written))
        {
            return written;
        }

        if (!_files.TryGetValue(repoPath, out var file))
        {
            return null;
        }

        if (file.IsSymbolicLink)
        {
            throw new ToolException($"'{ToPluginPath(repoPath)}' is a symbolic link; links are never followed.");
        }

        if (file.Size > MaxFileBytes)
        {
            throw new ToolException($"'{ToPluginPath(repoPath)}' has {file.Size} bytes, more than the {MaxFileBytes} a run may read.");
        }

        var bytes = await _source.ReadAsync(repoPath, cancellationToken)
            ?? throw new ToolException($"'{ToPluginPath(repoPath)}' is listed in the revision but its content is unavailable.");
        return Decode(repoPath, bytes.Span);
    }

    /// <summary>Records the run's new content for the file; nothing outside the run sees it until it is proposed.</summary>
    public void Write(string repoPath, string content)
    {
        if (Encoding.UTF8.GetByteCount(content) > MaxFileBytes)
        {
            throw new ToolException($"The content for '{ToPluginPath(repoPath)}' is larger than the {MaxFileBytes} bytes a file may have.");
        }

        if (_files.TryGetValue(repoPath, out var file) && file.IsSymbolicLink)
        {
            throw new ToolException($"'{ToPluginPath(repoPath)}' is a symbolic link; it cannot be written.");
        }

        _overlay[repoPath] = content;
    }

    /// <summary>The files the run changed, repository-relative: written files whose content differs from the revision's.</summary>
    public async Task<IReadOnlyList<ProposedFile>> GetChangesAsync(CancellationToken cancellationToken)
    {
        var changes = new List<ProposedFile>();
        foreach (var (path, content) in _overlay)
        {
            if (_files.ContainsKey(path) && await _source.ReadAsync(path, cancellationToken) is { } original
                && original.Span.SequenceEqual(Encoding.UTF8.GetBytes(content)))
            {
                continue;
            }

            changes.Add(new ProposedFile { Path = path, Content = content });
        }

        return changes;
    }

    private string Decode(string repoPath, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOf((byte)0) >= 0)
        {
            throw new ToolException($"'{ToPluginPath(repoPath)}' is a binary file; only text files can be read.");
        }

        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ToolException($"'{ToPluginPath(repoPath)}' is not UTF-8 text.");
        }
    }
}
