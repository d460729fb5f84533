using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Evergreen.ConfigStore.Webhooks;

/// <summary>GitHub's webhook signature: <c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the raw body, keyed with the secret&gt;</c>.</summary>
internal static class GitWebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    /// <summary>
    /// True when <paramref name="header"/> is the body's signature under <paramref name="secret"/>. The digests are
    /// compared in constant time; only the header's shape (public knowledge) decides early.
    /// </summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string secret, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        Span<byte> presented = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var hex = header.AsSpan(Prefix.Length).Trim();
        if (hex.Length != presented.Length * 2
            || Convert.FromHexString(hex, presented, out _, out var written) != OperationStatus.Done
            || written != presented.Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }
}
