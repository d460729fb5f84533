namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>What the launcher itself says about a resource, written under that resource's name.</summary>
internal static class Log
{
    public static void Crashed(ResourceLogSink logs, string name, int exitCode, TimeSpan delay) =>
        logs.Write(name, $"[apphost] exited with code {exitCode}; restarting in {delay.TotalSeconds:0} s");

    public static void Killed(ResourceLogSink logs, string name, TimeSpan grace) =>
        logs.Write(name, $"[apphost] did not stop within {grace.TotalSeconds:0} s of its stop signal; killed", isError: true);

    public static void Healthy(ResourceLogSink logs, string name, TimeSpan after) =>
        logs.Write(name, $"[apphost] healthy after {after.TotalSeconds:0.0} s");

    public static void NotHealthyYet(ResourceLogSink logs, string name, TimeSpan after, string? reason) =>
        logs.Write(name, $"[apphost] still not healthy after {after.TotalSeconds:0} s: {reason}", isError: true);

    public static void LeftoverStopped(ResourceLogSink logs, string name, int pid) =>
        logs.Write(name, $"[apphost] stopped process {pid}, left running by a launcher that did not shut down");

    public static void Failed(ResourceLogSink logs, string name, string reason) =>
        logs.Write(name, $"[apphost] failed: {reason}", isError: true);
}
