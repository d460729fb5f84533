using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>
/// The content hash of a <see cref="RepositoryFile"/> (lower-case hex SHA-256 of its bytes), computed once per file object.
/// Thread-safe.
/// </summary>
/// <remarks>
/// Keyed by object identity, so it never goes stale: a file's content cannot change, and a different file is a different
/// object. A sync that reuses the file objects of unchanged blobs (<see cref="Git.GitTreeCache"/>) thereby reuses their
/// hashes too; an entry lives exactly as long as its file.
/// </remarks>
internal static class ContentHashes
{
    private static readonly ConditionalWeakTable<RepositoryFile, string> Hashes = [];

    public static string Of(RepositoryFile file) => Hashes.GetValue(file, static f => Compute(f.Content.Span));

    public static string Compute(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
