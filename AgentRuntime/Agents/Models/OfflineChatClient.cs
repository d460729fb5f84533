using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;

namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>
/// A deterministic model for running the whole system without a key or a network: it answers naming the target and the
/// revision (<c>[offline] plugin:agent @ rev: …</c>), streamed as several deltas, and obeys <see cref="OfflineScript"/>
/// directives in the first user message. Holds no resources.
/// </summary>
internal sealed class OfflineChatClient(string qualifiedName, string revisionId) : IChatClient
{
    public const string ModelId = "offline";
    private const int WordsPerDelta = 3;

    private string Speaker => $"[offline] {qualifiedName} @ {(revisionId.Length > 12 ? revisionId[..12] : revisionId)}";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            updates.Add(update);
        }

        return updates.ToChatResponse();
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var history = messages.ToList();
        var prompt = history.FirstOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";
        var script = OfflineScript.Parse(prompt);
        var results = history.Where(m => m.Role == ChatRole.Tool).SelectMany(m => m.Contents.OfType<FunctionResultContent>()).ToList();
        var inputTokens = Tokens(history.Sum(m => m.Text.Length));
        var messageId = $"offline_{history.Count}";

        if (script.Failure is { } failure)
        {
            throw new InvalidOperationException($"{Speaker}: failed on request (!fail): {failure}");
        }

        var canWrite = options?.Tools?.Any(t => t.Name == "Write") == true;
        if (script.Writes.Count > 0 && results.Count == 0 && canWrite)
        {
            var paths = string.Join(", ", script.Writes.Select(w => w.Path));
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"{Speaker}: writing {paths}.") { MessageId = messageId, ModelId = ModelId };
            List<AIContent> calls = [.. script.Writes.Select((write, i) => new FunctionCallContent(
                $"offline_call_{i + 1}", "Write", new Dictionary<string, object?> { ["file_path"] = write.Path, ["content"] = write.Content }))];
            calls.Add(new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = Tokens(paths.Length + 20) }));
            yield return new ChatResponseUpdate(ChatRole.Assistant, calls) { MessageId = messageId, ModelId = ModelId, FinishReason = ChatFinishReason.ToolCalls };
            yield break;
        }

        var answer = Answer(prompt, script, results, canWrite);
        foreach (var delta in Deltas(answer))
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, delta) { MessageId = messageId, ModelId = ModelId };
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = inputTokens, OutputTokenCount = Tokens(answer.Length) })])
        {
            MessageId = messageId,
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private string Answer(string prompt, OfflineScript script, List<FunctionResultContent> results, bool canWrite)
    {
        if (results.Count > 0)
        {
            var outcomes = results.Select(r => $"{(r.Exception is null ? "ok" : "error")}: {FirstLine(r.Result?.ToString() ?? "")}");
            return $"{Speaker}: finished after {results.Count} tool call(s) — {string.Join("; ", outcomes)}";
        }

        var answer = new StringBuilder(Speaker).Append(": ");
        if (script.Writes.Count > 0 && !canWrite)
        {
            answer.Append("cannot write ").Append(string.Join(", ", script.Writes.Select(w => w.Path))).Append(": no Write tool. ");
        }

        var words = prompt.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var excerpt = string.Join(' ', words);
        return answer.Append("received ").Append(words.Length).Append(" word(s): \"")
            .Append(excerpt.Length > 200 ? excerpt[..200] + "…" : excerpt).Append('"').ToString();
    }

    private static IEnumerable<string> Deltas(string text)
    {
        var words = text.Split(' ');
        for (var i = 0; i < words.Length; i += WordsPerDelta)
        {
            var chunk = string.Join(' ', words.Skip(i).Take(WordsPerDelta));
            yield return i + WordsPerDelta < words.Length ? chunk + " " : chunk;
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();

    private static long Tokens(int characters) => Math.Max(1, (characters + 3) / 4);
}
