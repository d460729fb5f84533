using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.AgentRuntime.Tests.Support;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks the Anthropic Messages API's streaming protocol
/// (<c>message_start</c>, <c>content_block_start/delta/stop</c> with <c>text_delta</c> and <c>input_json_delta</c>,
/// <c>message_delta</c> with the stop reason and usage, <c>message_stop</c>). Each <c>POST /v1/messages</c> takes the next
/// scripted <see cref="FakeAnthropicResponse"/> and is recorded, so a test can assert what the SDK sent.
/// </summary>
internal sealed class FakeAnthropicServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnthropicResponse> _script = new();
    private readonly ConcurrentQueue<FakeAnthropicRequest> _requests = new();
    private readonly TaskCompletionSource _heldRequestAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeAnthropicServer(WebApplication app) => _app = app;

    /// <summary>The base URL to give the SDK (no trailing '/').</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The requests received, in order.</summary>
    public IReadOnlyList<FakeAnthropicRequest> Requests => [.. _requests];

    /// <summary>Completes when the client disconnected from a response scripted with <see cref="FakeAnthropicResponse.HoldOpen"/>.</summary>
    public Task HeldRequestAborted => _heldRequestAborted.Task;

    public static async Task<FakeAnthropicServer> StartAsync()
    {
        var app = LoopbackApps.CreateSlim();
        var server = new FakeAnthropicServer(app);
        app.MapPost("/v1/messages", server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = LoopbackApps.AddressOf(app.Services).TrimEnd('/');
        return server;
    }

    public FakeAnthropicServer Enqueue(params FakeAnthropicResponse[] responses)
    {
        foreach (var response in responses)
        {
            _script.Enqueue(response);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        _requests.Enqueue(new FakeAnthropicRequest(
            body.RootElement.Clone(),
            context.Request.Headers["x-api-key"].ToString(),
            context.Request.Headers.Authorization.ToString()));

        if (!_script.TryDequeue(out var response))
        {
            await WriteErrorAsync(context, 500, "api_error", "FakeAnthropicServer: no scripted response left for this request.");
            return;
        }

        if (response.ErrorStatus is { } status)
        {
            await WriteErrorAsync(context, status, response.ErrorType, response.ErrorMessage);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var model = body.RootElement.TryGetProperty("model", out var m) ? m.GetString() : "claude-test";
        var messageId = $"msg_{_requests.Count}";
        await SendAsync(context, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = new JsonObject { ["input_tokens"] = response.InputTokens, ["output_tokens"] = 1 },
            },
        });

        for (var index = 0; index < response.Blocks.Count; index++)
        {
            var block = response.Blocks[index];
            await SendAsync(context, "content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = block is FakeToolUseBlock toolUse
                    ? new JsonObject { ["type"] = "tool_use", ["id"] = toolUse.Id, ["name"] = toolUse.Name, ["input"] = new JsonObject() }
                    : new JsonObject { ["type"] = "text", ["text"] = "" },
            });
            foreach (var chunk in block.Chunks)
            {
                await SendAsync(context, "content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = block is FakeToolUseBlock
                        ? new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = chunk }
                        : new JsonObject { ["type"] = "text_delta", ["text"] = chunk },
                });
            }

            if (response.HoldOpen)
            {
                // Stay mid-stream until the client goes away: the test cancels the run.
                try
                {
                    await Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    _heldRequestAborted.TrySetResult();
                }

                return;
            }

            await SendAsync(context, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index });
        }

        await SendAsync(context, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = response.StopReason, ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = response.OutputTokens },
        });
        await SendAsync(context, "message_stop", new JsonObject { ["type"] = "message_stop" });
    }

    private static async Task SendAsync(HttpContext context, string eventName, JsonObject data)
    {
        await context.Response.WriteAsync($"event: {eventName}\ndata: {data.ToJsonString()}\n\n", context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var error = new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
        };
        await context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
    }
}

/// <summary>One request the fake received: its JSON body and credentials.</summary>
internal sealed record FakeAnthropicRequest(JsonElement Body, string ApiKeyHeader, string AuthorizationHeader)
{
    public string Model => Body.GetProperty("model").GetString()!;

    /// <summary>The system prompt, whether sent as a string or as text blocks.</summary>
    public string System => Body.TryGetProperty("system", out var system)
        ? system.ValueKind == JsonValueKind.String ? system.GetString()! : string.Concat(system.EnumerateArray().Select(b => b.GetProperty("text").GetString()))
        : "";

    public IReadOnlyList<string> ToolNames => Body.TryGetProperty("tools", out var tools)
        ? [.. tools.EnumerateArray().Select(t => t.GetProperty("name").GetString()!)]
        : [];

    public IReadOnlyList<JsonElement> Messages => [.. Body.GetProperty("messages").EnumerateArray()];

    /// <summary>Every content block of every message with the given <c>type</c> (<c>tool_result</c>, <c>tool_use</c>, …).</summary>
    public IReadOnlyList<JsonElement> Blocks(string type) =>
        [.. Messages.Where(m => m.GetProperty("content").ValueKind == JsonValueKind.Array)
            .SelectMany(m => m.GetProperty("content").EnumerateArray())
            .Where(b => b.GetProperty("type").GetString() == type)];

    /// <summary>The text of the first user message.</summary>
    public string FirstUserText
    {
        get
        {
            var content = Messages.First(m => m.GetProperty("role").GetString() == "user").GetProperty("content");
            return content.ValueKind == JsonValueKind.String
                ? content.GetString()!
                : string.Concat(content.EnumerateArray().Where(b => b.GetProperty("type").GetString() == "text").Select(b => b.GetProperty("text").GetString()));
        }
    }
}

/// <summary>A scripted answer of the fake: content blocks streamed in chunks, a stop reason and usage, or an HTTP error.</summary>
internal sealed record FakeAnthropicResponse
{
    public IReadOnlyList<FakeBlock> Blocks { get; init; } = [];

    public string StopReason { get; init; } = "end_turn";

    public int InputTokens { get; init; } = 10;

    public int OutputTokens { get; init; } = 5;

    /// <summary>Stream the first block's chunks, then hold the response open until the client disconnects.</summary>
    public bool HoldOpen { get; init; }

    public int? ErrorStatus { get; init; }

    public string ErrorType { get; init; } = "api_error";

    public string ErrorMessage { get; init; } = "";

    public static FakeAnthropicResponse Text(params string[] chunks) => new() { Blocks = [new FakeTextBlock(chunks)] };

    /// <summary>An optional text block, then a <c>tool_use</c> block whose input JSON arrives in two chunks.</summary>
    public static FakeAnthropicResponse ToolUse(string id, string name, object input, string? text = null)
    {
        var json = JsonSerializer.Serialize(input);
        var half = json.Length / 2;
        var blocks = new List<FakeBlock>();
        if (text is not null)
        {
            blocks.Add(new FakeTextBlock([text]));
        }

        blocks.Add(new FakeToolUseBlock(id, name, [json[..half], json[half..]]));
        return new FakeAnthropicResponse { Blocks = blocks, StopReason = "tool_use" };
    }

    public static FakeAnthropicResponse Error(int status, string type, string message) =>
        new() { ErrorStatus = status, ErrorType = type, ErrorMessage = message };
}

internal abstract record FakeBlock(IReadOnlyList<string> Chunks);

internal sealed record FakeTextBlock(IReadOnlyList<string> Chunks) : FakeBlock(Chunks);

internal sealed record FakeToolUseBlock(string Id, string Name, IReadOnlyList<string> Chunks) : FakeBlock(Chunks);
