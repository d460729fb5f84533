using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>OS user look-up and file ownership, which .NET has no API for.</summary>
internal static class UnixAccounts
{
    // getpwnam returns a pointer into a static buffer: one caller at a time.
    private static readonly Lock LookupLock = new();

    /// <summary>True when the launcher runs as root (effective uid 0).</summary>
    public static bool IsRoot => Environment.IsPrivilegedProcess;

    /// <summary>The account named <paramref name="userName"/>, or null when there is none.</summary>
    public static UnixAccount? Find(string userName)
    {
        lock (LookupLock)
        {
            var entry = getpwnam(userName);
            if (entry == IntPtr.Zero)
            {
                return null;
            }

            var passwd = Marshal.PtrToStructure<Passwd>(entry);
            return new UnixAccount(userName, passwd.UserId, passwd.GroupId, Marshal.PtrToStringUTF8(passwd.Directory) ?? "/");
        }
    }

    /// <summary>Gives <paramref name="path"/> and everything below it to <paramref name="account"/>, without following symbolic links.</summary>
    public static void ChangeOwnerRecursively(string path, UnixAccount account)
    {
        ChangeOwner(path, account);
        if (!Directory.Exists(path) || File.GetAttributes(path).HasFlag(FileAttributes.ReparsePoint))
        {
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            ChangeOwner(entry, account);
        }
    }

    private static void ChangeOwner(string path, UnixAccount account)
    {
        if (lchown(path, account.UserId, account.GroupId) != 0)
        {
            var error = new Win32Exception(Marshal.GetLastPInvokeError());
            throw new IOException($"Could not give '{path}' to the OS user '{account.Name}': {error.Message}", error);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern IntPtr getpwnam([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport("libc", SetLastError = true)]
    private static extern int lchown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);

    // struct passwd on Linux: pw_name, pw_passwd, pw_uid, pw_gid, pw_gecos, pw_dir, pw_shell.
    [StructLayout(LayoutKind.Sequential)]
    private readonly struct Passwd
    {
        public readonly IntPtr Name;
        public readonly IntPtr Password;
        public readonly uint UserId;
        public readonly uint GroupId;
        public readonly IntPtr Gecos;
        public readonly IntPtr Directory;
        public readonly IntPtr Shell;
    }
}

/// <summary>An OS user: its ids and home directory.</summary>
internal sealed record UnixAccount(string Name, uint UserId, uint GroupId, string HomeDirectory);
