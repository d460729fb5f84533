namespace Evergreen.Testing;

/// <summary>Fresh folders under the system temp folder for servers started by fixtures.</summary>
internal static class TemporaryDirectory
{
    /// <summary>
    /// Creates a new folder. With <paramref name="passableByOtherUsers"/> it is 0711 instead of 0700, so a server
    /// that runs as another OS user (PostgreSQL, when tests run as root) can reach a folder inside it.
    /// </summary>
    public static string Create(string prefix, bool passableByOtherUsers)
    {
        var path = Directory.CreateTempSubdirectory(prefix).FullName;
        if (passableByOtherUsers && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        return path;
    }

    /// <summary>Deletes the folder and everything in it; a folder that cannot be deleted is left behind rather than failing a test.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
