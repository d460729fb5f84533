namespace Evergreen.AppHost.Hosting.Processes;

/// <summary>
/// A child process could not be started: its program is missing, not executable, or the OS user to run it as does not
/// exist. The message is one line naming the cause and the fix, meant to be shown as is.
/// </summary>
/// <param name="message">The cause and the fix, e.g. "'redis-server' was not found on PATH. Install it: apt-get install -y redis-server".</param>
/// <param name="inner">The exception that revealed the problem, if any.</param>
public sealed class ProcessStartFailedException(string message, Exception? inner = null) : Exception(message, inner);
