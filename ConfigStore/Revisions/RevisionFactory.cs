using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Plugins;
using Evergreen.Contracts.Revisions;
using Evergreen.Contracts.Snapshots;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>Turns a commit into a <see cref="NewRevision"/>: reads its tree, loads its plugins and computes its checksums.</summary>
internal static class RevisionFactory
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="commit">The commit.</param>
    /// <param name="loadOptions">How strictly its plugins are checked.</param>
    /// <param name="cache">What the previous calls read and built, reused where unchanged; null reads everything. The
    /// revision is the same either way.</param>
    public static NewRevision Create(Commit commit, PluginLoadOptions loadOptions, RevisionBuildCache? cache = null)
    {
        var tree = cache is null ? GitCommitReader.ReadTree(commit) : cache.Trees.Read(commit.Tree);
        var result = PluginCatalogLoader.Load(tree, loadOptions, cache?.Plugins);
        var files = tree.Files
            .Select(static f => new RevisionFile(f.Path, ContentHashes.Of(f), f.IsSymbolicLink, f.Content))
            .ToList();
        var snapshot = cache is null ? JsonSerializer.Serialize(result.Catalog, Json) : RevisionJson.Snapshot(result.Catalog);
        var diagnostics = result.Diagnostics.Select(ToRevisionDiagnostic).ToList();

        return new NewRevision
        {
            Id = commit.Sha,
            ParentId = commit.Parents.FirstOrDefault()?.Sha,
            Author = commit.Author.Name,
            AuthorEmail = commit.Author.Email,
            Message = commit.Message,
            CommittedAt = commit.Committer.When,
            Status = result.IsValid ? RevisionStatus.Valid : RevisionStatus.Invalid,
            Checksum = Checksum(files),
            PluginCount = result.Plugins.Count,
            ErrorCount = diagnostics.Count(static d => d.Severity == "error"),
            WarningCount = diagnostics.Count(static d => d.Severity == "warning"),
            DiagnosticsJson = cache is null ? JsonSerializer.Serialize(diagnostics, Json) : RevisionJson.Diagnostics(result.Diagnostics),
            SnapshotJson = snapshot,
            SnapshotChecksum = Hash(Encoding.UTF8.GetBytes(snapshot)),
            Files = files,
        };
    }

    public static RevisionDiagnostic ToRevisionDiagnostic(Diagnostic diagnostic) => new()
    {
        Severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning",
        Code = diagnostic.Code,
        Message = diagnostic.Message,
        File = diagnostic.File,
        Line = diagnostic.Line,
    };

    /// <summary>SHA-256 over "path NUL hash LF" for every file in ordinal path order (the tree is already sorted so).</summary>
    public static string Checksum(IEnumerable<RevisionFile> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in files.OrderBy(static f => f.Path, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{file.Path}\0{file.Hash}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static string Hash(ReadOnlySpan<byte> content) => ContentHashes.Compute(content);
}
