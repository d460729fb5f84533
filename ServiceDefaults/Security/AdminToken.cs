using System.Security.Cryptography;
using System.Text;

namespace Evergreen.ServiceDefaults.Security;

/// <summary>Names and the comparison of the admin bearer token. The one place a presented token is checked, for the services and the launcher alike.</summary>
public static class AdminToken
{
    /// <summary>The configuration key of the token (environment <c>Evergreen__AdminToken</c>).</summary>
    public const string ConfigurationKey = "Evergreen:AdminToken";

    /// <summary>The authentication scheme of admin endpoints.</summary>
    public const string SchemeName = "EvergreenAdmin";

    /// <summary>The authorization policy <c>RequireAdmin()</c> applies.</summary>
    public const string PolicyName = "EvergreenAdmin";

    /// <summary>
    /// Compares in time that depends on neither the content nor the length of either token: both are hashed to
    /// 32 bytes first, then compared with <see cref="CryptographicOperations.FixedTimeEquals"/>.
    /// </summary>
    /// <param name="presented">The token the caller sent.</param>
    /// <param name="expected">The configured token.</param>
    /// <returns>True when they are equal.</returns>
    public static bool Matches(string presented, string expected)
    {
        Span<byte> presentedHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> expectedHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), presentedHash);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), expectedHash);
        return CryptographicOperations.FixedTimeEquals(presentedHash, expectedHash);
    }
}
