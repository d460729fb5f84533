using System.Security.Cryptography;
using System.Text;
using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Forwarding;

/// <summary>
/// Client API keys for <c>/v1/**</c> (<c>Gateway:ApiKeys</c>), presented as <c>X-Api-Key</c>. Off when no key is
/// configured. Keys are kept only as SHA-256 hashes and compared in constant time; nothing here logs a key.
/// </summary>
internal sealed class ApiKeyValidator
{
    public const string HeaderName = "X-Api-Key";
    private readonly byte[][] _keyHashes;

    public ApiKeyValidator(GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _keyHashes = [.. options.ApiKeys.Select(key => SHA256.HashData(Encoding.UTF8.GetBytes(key)))];
    }

    public bool Enabled => _keyHashes.Length > 0;

    public bool IsValid(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 1024)
        {
            return false;
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        var match = false;
        foreach (var expected in _keyHashes)
        {
            // No early exit: the time taken does not reveal which key matched.
            match |= CryptographicOperations.FixedTimeEquals(hash, expected);
        }

        return match;
    }
}
