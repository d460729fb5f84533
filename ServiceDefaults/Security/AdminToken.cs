using System.Security.Cryptography;
using System.Text;

namespace Evergreen.ServiceDefaults.Security;

/// <summary>Names and the comparison of the admin bearer token.</summary>
internal static class AdminToken
{
    public const string ConfigurationKey = "Evergreen:AdminToken";
    public const string SchemeName = "EvergreenAdmin";
    public const string PolicyName = "EvergreenAdmin";

    /// <summary>
    /// Compares in time that depends on neither the content nor the length of either token: both are hashed to
    /// 32 bytes first, then compared with <see cref="CryptographicOperations.FixedTimeEquals"/>.
    /// </summary>
    public static bool Matches(string presented, string expected)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }
}
