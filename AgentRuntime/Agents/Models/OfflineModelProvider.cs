namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>The provider used when no Anthropic key is configured: every run gets an <see cref="OfflineChatClient"/>.</summary>
internal sealed class OfflineModelProvider : IChatModelProvider
{
    public ChatModel Resolve(string qualifiedName, string revisionId, string? model) =>
        new(new OfflineChatClient(qualifiedName, revisionId), OfflineChatClient.ModelId);
}
