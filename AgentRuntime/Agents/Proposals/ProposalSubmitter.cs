using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evergreen.Contracts.Proposals;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Evergreen.AgentRuntime.Agents.Proposals;

/// <summary>
/// Sends a run's changes to ConfigStore (<c>POST /api/proposals</c>, bearer <c>Evergreen:RuntimeToken</c>) and turns the
/// answer into a <see cref="ProposalOutcome"/>: the recorded proposal, or ConfigStore's refusal or the transport error,
/// never an exception (except the caller's cancellation). Thread-safe.
/// </summary>
internal sealed class ProposalSubmitter(IHttpClientFactory httpClientFactory, IConfiguration configuration, ILogger<ProposalSubmitter> logger)
{
    /// <summary>The named <see cref="HttpClient"/>, its base address ConfigStore's (<c>services__configstore__http__0</c>).</summary>
    public const string ClientName = "configstore-proposals";

    public const string TokenKey = "Evergreen:RuntimeToken";

    private const int MaxDetailChars = 2000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<ProposalOutcome> SubmitAsync(ProposalRequest proposal, CancellationToken cancellationToken)
    {
        HttpClient client;
        try
        {
            client = httpClientFactory.CreateClient(ClientName);
        }
        catch (InvalidOperationException ex)
        {
            return Failed(proposal, $"The changes were not proposed: {ex.Message}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "api/proposals") { Content = JsonContent.Create(proposal, options: Json) };
        if (configuration[TokenKey] is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Trim());
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var summary = await response.Content.ReadFromJsonAsync<ProposalSummary>(Json, cancellationToken)
                    ?? throw new JsonException("ConfigStore answered with an empty body.");
                Log.ProposalSubmitted(logger, summary.Id, proposal.Agent, proposal.Files.Count, summary.Status);
                return new ProposalOutcome { Proposal = summary };
            }

            var detail = await ProblemDetailAsync(response, cancellationToken);
            Log.ProposalRefused(logger, proposal.Agent, (int)response.StatusCode, detail);
            return new ProposalOutcome { RefusedStatus = (int)response.StatusCode, RefusedDetail = detail };
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or JsonException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return Failed(proposal, $"ConfigStore could not be reached at {client.BaseAddress}: {ex.Message} The changes were not proposed.");
        }
    }

    private ProposalOutcome Failed(ProposalRequest proposal, string detail)
    {
        Log.ProposalFailed(logger, proposal.Agent, detail);
        return new ProposalOutcome { RefusedDetail = detail };
    }

    /// <summary>The problem's <c>detail</c> (else <c>title</c>, else the body), with <c>Retry-After</c> when ConfigStore sent one.</summary>
    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                detail = Text(problem.RootElement, "detail") ?? Text(problem.RootElement, "title");
            }
        }
        catch (JsonException)
        {
            // Not a problem document: the body itself is the best detail there is.
        }

        detail ??= body.Trim() is { Length: > 0 } text ? text : $"ConfigStore answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        if (detail.Length > MaxDetailChars)
        {
            detail = detail[..MaxDetailChars] + "…";
        }

        var retryAfter = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + " s",
            { Date: { } date } => date.ToString("R", CultureInfo.InvariantCulture),
            _ => null,
        };
        return retryAfter is null ? detail : $"{detail} (Retry-After: {retryAfter})";
    }

    private static string? Text(JsonElement problem, string name) =>
        problem.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
}
