namespace Evergreen.ConfigStore.Plugins;

/// <summary>How strictly a repository's plugins are checked.</summary>
public sealed record PluginLoadOptions
{
    /// <summary>The default limit on one file's size: 1 MiB.</summary>
    public const int DefaultMaxFileBytes = 1024 * 1024;

    /// <summary>Defaults: 1 MiB per file, lenient skill checks.</summary>
    public static PluginLoadOptions Default { get; } = new();

    /// <summary>A file larger than this is an error and is not parsed.</summary>
    public int MaxFileBytes { get; init; } = DefaultMaxFileBytes;

    /// <summary>
    /// When true, the Agent Skills specification's rules (skill name format and length, name matching the folder,
    /// description length, compatibility length, metadata shape) are errors instead of warnings.
    /// </summary>
    public bool Strict { get; init; }
}
