namespace Evergreen.AgentRuntime.Agents;

/// <summary>The bytes of a captured revision's files, shared by content hash between revisions.</summary>
public interface IPluginFileSource
{
    /// <summary>Returns the file's bytes; null when the revision has no such file.</summary>
    /// <param name="path">The repository-relative path, as listed in <c>PluginDefinition.Files</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken);
}
