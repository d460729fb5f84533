namespace Evergreen.AppHost.Hosting;

/// <summary>
/// A failure of the AppHost that the user can fix: the message names the cause and the fix in one line.
/// </summary>
/// <param name="message">The cause and the fix, e.g. "git was not found on PATH. Install it: …".</param>
/// <param name="inner">The exception that revealed the problem, if any.</param>
public sealed class HostingException(string message, Exception? inner = null) : Exception(message, inner);
