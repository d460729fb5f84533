namespace Evergreen.ConfigStore.Git;

/// <summary>The outcome of <see cref="LibGit2NativeCheck.Check"/>.</summary>
/// <param name="Ok">True when libgit2 1.5.x is loaded and LibGit2Sharp can use it.</param>
/// <param name="Message">On success, what was loaded; on failure, the cause and the fix in one line.</param>
/// <param name="NativeVersion">The loaded libgit2 version (e.g. <c>1.5.1</c>); null when none could be loaded.</param>
internal sealed record LibGit2Status(bool Ok, string Message, string? NativeVersion);
