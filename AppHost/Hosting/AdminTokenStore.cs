using System.Security.Cryptography;

namespace Evergreen.AppHost.Hosting;

/// <summary>
/// The admin token: <c>Evergreen:AdminToken</c> when configured, otherwise the one kept in
/// <c>&lt;data folder&gt;/admin-token</c> (mode 600), generated on first run so it survives restarts.
/// </summary>
internal static class AdminTokenStore
{
    public const string FileName = "admin-token";

    public static (string Token, string? FilePath) Resolve(string? configured, string dataFolder)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return (configured, null);
        }

        var path = Path.Combine(dataFolder, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return (existing, path);
            }
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(token);
        }

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return (token, path);
    }
}
