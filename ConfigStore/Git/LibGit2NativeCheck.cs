using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace Evergreen.ConfigStore.Git;

/// <summary>
/// Proves that LibGit2Sharp can load its native library and that the library is libgit2 1.5. LibGit2Sharp 0.29.0 was
/// built for libgit2 1.7; here it runs on Debian's 1.5, whose ABI matches except for shallow fetches and diff object-id
/// types (../shared/DEPENDENCIES.md). Any other version is unchecked, and an ABI mismatch corrupts memory silently
/// instead of failing, so the service refuses to start rather than find out at the first sync.
/// </summary>
internal static class LibGit2NativeCheck
{
    internal const string SystemLibrary = "/usr/lib/x86_64-linux-gnu/libgit2.so.1.5";

    // LibGit2Sharp 0.29.0 imports "git2-a2bde63"; the build links this file name next to the assembly (ConfigStore.csproj).
    internal const string NativeLibraryName = "git2-a2bde63";
    internal const string LinkFileName = "lib" + NativeLibraryName + ".so";

    private const string ExpectedVersionPrefix = "1.5.";
    private const string InstallFix = "Install it: apt-get install -y libgit2-1.5";

    // A native library is loaded once per process, so the answer cannot change; health checks ask it often.
    private static readonly Lazy<LibGit2Status> Status = new(Run, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Loads LibGit2Sharp and libgit2 (once per process) and reports whether they are usable. Never throws.</summary>
    internal static LibGit2Status Check() => Status.Value;

    private static LibGit2Status Run()
    {
        string managedVersion, features, nativeVersion;
        try
        {
            (managedVersion, features) = LoadLibGit2Sharp();
            nativeVersion = ReadNativeVersion();
        }
        catch (Exception ex)
        {
            return new LibGit2Status(false, $"libgit2 1.5 could not be loaded ({Describe(ex)}). {FixFor(ex)}", null);
        }

        return nativeVersion.StartsWith(ExpectedVersionPrefix, StringComparison.Ordinal)
            ? new LibGit2Status(true, $"libgit2 {nativeVersion} loaded by LibGit2Sharp {managedVersion} (features: {features})", nativeVersion)
            : new LibGit2Status(false, $"libgit2 1.5 could not be loaded ({LinkFileName} is libgit2 {nativeVersion}; LibGit2Sharp 0.29.0 is only checked against 1.5 here). {InstallFix}, and rebuild ConfigStore so that {LinkFileName} points at {SystemLibrary}", nativeVersion);
    }

    // Not inlined, so that a missing LibGit2Sharp.dll throws inside Run's try block rather than when Run is compiled.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (string ManagedVersion, string Features) LoadLibGit2Sharp()
    {
        var version = GlobalSettings.Version;
        // Features is the first call that crosses into libgit2: a missing native library fails here.
        return (version.InformationalVersion, version.Features.ToString());
    }

    private static string ReadNativeVersion()
    {
        // LibGit2Sharp does not expose libgit2's own version. The same import name resolves to the same file, which
        // LibGit2Sharp has just loaded, so this asks the very library it uses.
        var result = NativeVersion(out var major, out var minor, out var revision);
        return result == 0
            ? $"{major}.{minor}.{revision}"
            : throw new InvalidOperationException($"git_libgit2_version returned {result}");
    }

    private static string Describe(Exception ex)
    {
        // LibGit2Sharp's native-methods class fails in its static constructor: the useful message is the inner one.
        while (ex is TypeInitializationException { InnerException: { } inner })
        {
            ex = inner;
        }

        // The loader's message goes on to list every path it probed; its first sentence names the library.
        return $"{ex.GetType().Name}: {ex.Message.Split(". ", 2)[0].Split('\n', 2)[0].Trim().TrimEnd('.')}";
    }

    private static string FixFor(Exception ex)
    {
        if (ex is FileNotFoundException or FileLoadException)
        {
            return "LibGit2Sharp.dll is missing: restore and rebuild ConfigStore (dotnet build), which downloads LibGit2Sharp 0.29.0";
        }

        var link = Path.Combine(AppContext.BaseDirectory, LinkFileName);
        return File.Exists(SystemLibrary) && !ResolvesToAFile(link)
            ? $"{SystemLibrary} is installed but {link} is missing or broken: rebuild ConfigStore, whose build creates that link, or create it: ln -sf {SystemLibrary} {link}"
            : InstallFix;
    }

    private static bool ResolvesToAFile(string path)
    {
        // File.Exists is true for a dangling symbolic link, so follow the link.
        var file = new FileInfo(path);
        return file.LinkTarget is null ? file.Exists : file.ResolveLinkTarget(returnFinalTarget: true) is { Exists: true };
    }

    [DllImport(NativeLibraryName, EntryPoint = "git_libgit2_version", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
    private static extern int NativeVersion(out int major, out int minor, out int revision);
}
