using System.Collections.Concurrent;
using System.Text.Json;
using Evergreen.Contracts.Proposals;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>
/// A real HTTP server that speaks ConfigStore's <c>POST /api/proposals</c> contract: it records each proposal with its
/// <c>Authorization</c> header and answers 201 with a <see cref="ProposalSummary"/>, or the refusal set in <see cref="Refuse"/>.
/// </summary>
internal sealed class ProposalRecorder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(ProposalRequest Proposal, string Authorization)> _received = new();
    private (int Status, string Detail, string? RetryAfter)? _refusal;

    private ProposalRecorder(WebApplication app) => _app = app;

    public string Address { get; private set; } = "";

    public IReadOnlyList<(ProposalRequest Proposal, string Authorization)> Received => [.. _received];

    public static async Task<ProposalRecorder> StartAsync()
    {
        var app = LoopbackApps.CreateSlim();
        var recorder = new ProposalRecorder(app);
        app.MapPost("/api/proposals", (Delegate)recorder.HandleAsync);
        await app.StartAsync();
        recorder.Address = LoopbackApps.AddressOf(app.Services);
        return recorder;
    }

    /// <summary>Answers every following proposal with a problem-details refusal.</summary>
    public void Refuse(int status, string detail, string? retryAfter = null) => _refusal = (status, detail, retryAfter);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var proposal = await JsonSerializer.DeserializeAsync<ProposalRequest>(context.Request.Body, JsonSerializerOptions.Web, context.RequestAborted);
        _received.Enqueue((proposal!, context.Request.Headers.Authorization.ToString()));
        if (_refusal is { } refusal)
        {
            if (refusal.RetryAfter is not null)
            {
                context.Response.Headers.RetryAfter = refusal.RetryAfter;
            }

            return Results.Problem(statusCode: refusal.Status, title: "Proposal refused", detail: refusal.Detail);
        }

        var summary = new ProposalSummary
        {
            Id = $"prop-{_received.Count}",
            Agent = proposal!.Agent,
            Branch = $"improve/{proposal.Agent.Replace(':', '-')}-20250101T000000Z",
            Status = ProposalStatus.Pending,
            CommitId = new string('c', 40),
            BaseRevisionId = new string('b', 40),
            Paths = [.. proposal.Files.Select(f => f.Path)],
            Rationale = proposal.Rationale,
            RunId = proposal.RunId,
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        return Results.Created($"/api/proposals/{summary.Id}", summary);
    }
}
