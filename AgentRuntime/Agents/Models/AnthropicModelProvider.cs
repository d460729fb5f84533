using Anthropic;
using Anthropic.Core;
using Evergreen.ServiceDefaults.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Agents.Models;

/// <summary>
/// Claude through the official Anthropic SDK's <see cref="IChatClient"/>: <c>AgentRuntime:Anthropic:ApiKey</c>,
/// <c>AgentRuntime:Anthropic:BaseUrl</c> (default the public API) and <c>AgentRuntime:Anthropic:MaxRetries</c> (default 2).
/// One client serves every run.
/// </summary>
internal sealed class AnthropicModelProvider : IChatModelProvider, IDisposable
{
    public const string SectionName = "AgentRuntime:Anthropic";

    private readonly AnthropicClient _client;
    private readonly IChatClient _chatClient;
    private readonly ModelAliases _aliases;

    public AnthropicModelProvider(IConfiguration configuration, ModelAliases aliases, AgentRunnerOptions options)
    {
        _aliases = aliases;
        var apiKey = configuration[$"{SectionName}:ApiKey"];
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            throw new InvalidOperationException($"Set {SectionName}:ApiKey to use Anthropic models.");
        }

        var clientOptions = new ClientOptions
        {
            ApiKey = apiKey.Trim(),
            MaxRetries = ConfigurationValues.GetInt32(configuration, $"{SectionName}:MaxRetries", 2, 0, 10),
        };
        if (configuration[$"{SectionName}:BaseUrl"] is { Length: > 0 } baseUrl)
        {
            if (!Uri.TryCreate(baseUrl.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw new InvalidOperationException(
                    $"Configuration value '{SectionName}:BaseUrl' = '{baseUrl}' is not an absolute http(s) URL such as https://api.anthropic.com.");
            }

            clientOptions.BaseUrl = uri.ToString().TrimEnd('/');
        }

        _client = new AnthropicClient(clientOptions);
        _chatClient = _client.AsIChatClient(defaultModelId: null, defaultMaxOutputTokens: options.MaxOutputTokens);
    }

    public ChatModel Resolve(string qualifiedName, string revisionId, string? model) =>
        new(_chatClient, _aliases.Resolve(model));

    public void Dispose()
    {
        _chatClient.Dispose();
        _client.Dispose();
    }
}
