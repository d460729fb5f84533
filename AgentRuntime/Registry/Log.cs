using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Registry;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Revision {Revision} active ({Kind}, {PluginCount} plugins, loaded in {LoadMs} ms, from memory: {FromMemory}); previous {Previous}.")]
    public static partial void Activated(ILogger logger, string revision, ActivationKind kind, int pluginCount, double loadMs, bool fromMemory, string? previous);

    [LoggerMessage(2, LogLevel.Error, "Revision {Revision} was not activated ({Reason}); {Active} stays active. {Message}")]
    public static partial void LoadFailed(ILogger logger, string revision, string reason, string active, string message);

    [LoggerMessage(3, LogLevel.Warning, "Reconciling with ConfigStore failed ({Trigger}); will retry. {Message}")]
    public static partial void ReconcileFailed(ILogger logger, string trigger, string message, Exception exception);

    [LoggerMessage(4, LogLevel.Information, "ConfigStore has no valid revision yet; nothing to load.")]
    public static partial void NoRevisionYet(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "Ignored a message on {Channel} that is not a RevisionPublished event.")]
    public static partial void BadEvent(ILogger logger, string channel, Exception exception);

    [LoggerMessage(6, LogLevel.Information, "Desired revision set to {Mode} {Revision}.")]
    public static partial void DesiredChanged(ILogger logger, string mode, string? revision);

    [LoggerMessage(7, LogLevel.Warning, "Subscribing to {Channel} failed; the timer and reconnects still reconcile. {Message}")]
    public static partial void SubscribeFailed(ILogger logger, string channel, string message);
}
