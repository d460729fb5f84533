using System.Text.Json;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Webhooks;

/// <summary>
/// <c>POST /api/webhooks/git</c>: GitHub-compatible push webhooks. The signature (<see cref="GitWebhookSignature"/>) is
/// checked before the body is parsed; a push to the tracked branch syncs it, anything else is acknowledged and ignored.
/// </summary>
internal static class GitWebhookApi
{
    /// <summary>The configuration key of the shared secret (environment <c>ConfigStore__Repository__WebhookSecret</c>).</summary>
    public const string SecretKey = "ConfigStore:Repository:WebhookSecret";

    private const string EventHeader = "X-GitHub-Event";

    // git hosts give up on a delivery after 10 s; answer before that and let a longer sync finish on its own.
    private static readonly TimeSpan SyncBudget = TimeSpan.FromSeconds(8);

    public static RouteHandlerBuilder MapGitWebhookApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/webhooks/git", ReceiveAsync).AllowAnonymous();

    private static async Task<Results<Ok<GitWebhookResult>, Accepted<GitWebhookResult>, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request,
        IConfiguration configuration,
        IOptionsMonitor<PluginRepositoryOptions> repository,
        RevisionSyncService sync,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        // Read per request, like the admin token, so a rotated secret applies without a restart.
        var secret = configuration[SecretKey];
        if (string.IsNullOrEmpty(secret))
        {
            return TypedResults.Problem(
                title: "Webhooks are not configured.",
                detail: $"{SecretKey} is not set, and ConfigStore never accepts unsigned deliveries. Set it (env ConfigStore__Repository__WebhookSecret) to the secret of the git host's webhook.",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var signature = request.Headers[GitWebhookSignature.HeaderName].ToString();
        if (!GitWebhookSignature.IsValid(body.Span, secret, signature.Length == 0 ? null : signature))
        {
            return TypedResults.Problem(
                title: "The webhook signature is not valid.",
                detail: signature.Length == 0
                    ? $"{GitWebhookSignature.HeaderName} is missing. Configure the webhook with the secret in {SecretKey}."
                    : $"{GitWebhookSignature.HeaderName} does not match the body. Check that the webhook's secret equals {SecretKey} and that the content type is application/json.",
                statusCode: StatusCodes.Status401Unauthorized);
        }

        var eventName = request.Headers[EventHeader].ToString() is { Length: > 0 } named ? named : "push";
        string? pushedRef;
        try
        {
            using var payload = JsonDocument.Parse(body);
            if (payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return BadPayload("body: a webhook payload is a JSON object.");
            }

            pushedRef = payload.RootElement.TryGetProperty("ref", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        }
        catch (JsonException ex)
        {
            return BadPayload($"body: not valid JSON ({ex.Message}). Configure the webhook's content type as application/json.");
        }

        switch (eventName)
        {
            case "ping":
                return TypedResults.Ok(new GitWebhookResult { Event = eventName, Action = GitWebhookActions.Pong });
            case not "push":
                return TypedResults.Ok(Ignored(eventName, null, $"ConfigStore acts on push events only, not '{eventName}'."));
            case "push" when string.IsNullOrEmpty(pushedRef):
                return BadPayload("ref: missing. A push event names the pushed reference, e.g. \"ref\": \"refs/heads/main\".");
        }

        var tracked = $"refs/heads/{repository.CurrentValue.Branch}";
        if (!string.Equals(pushedRef, tracked, StringComparison.Ordinal))
        {
            return TypedResults.Ok(Ignored(eventName, pushedRef, $"ConfigStore tracks {tracked}."));
        }

        var syncing = sync.RequestSyncAsync(CancellationToken.None);
        try
        {
            var result = await syncing.WaitAsync(SyncBudget, time, cancellationToken);
            return TypedResults.Accepted((string?)null, new GitWebhookResult { Event = eventName, Action = GitWebhookActions.Synced, Ref = pushedRef, Sync = result });
        }
        catch (TimeoutException)
        {
            return TypedResults.Accepted((string?)null, new GitWebhookResult
            {
                Event = eventName,
                Action = GitWebhookActions.SyncStarted,
                Ref = pushedRef,
                Reason = $"The sync did not finish within {SyncBudget.TotalSeconds:0} s; it goes on. GET /api/revisions shows what it stored.",
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(title: "The plugin repository could not be synced.", detail: ex.Message, statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static GitWebhookResult Ignored(string eventName, string? pushedRef, string reason) =>
        new() { Event = eventName, Action = GitWebhookActions.Ignored, Ref = pushedRef, Reason = reason };

    private static ProblemHttpResult BadPayload(string detail) =>
        TypedResults.Problem(title: "The webhook payload is not a push event ConfigStore can read.", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
