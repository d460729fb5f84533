using Microsoft.Extensions.AI;

namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>Chooses the chat client and model id a run talks to. Thread-safe; one per application.</summary>
internal interface IChatModelProvider
{
    /// <summary>The client and model for a run of <paramref name="qualifiedName"/> in <paramref name="revisionId"/>.</summary>
    /// <param name="qualifiedName">The target's <c>plugin:name</c>.</param>
    /// <param name="revisionId">The captured revision.</param>
    /// <param name="model">The target's frontmatter <c>model</c>: an alias, a model id, or null.</param>
    ChatModel Resolve(string qualifiedName, string revisionId, string? model);
}

/// <summary>A chat client and the model id to ask it for. The provider owns the client; callers never dispose it.</summary>
internal sealed record ChatModel(IChatClient Client, string ModelId);
