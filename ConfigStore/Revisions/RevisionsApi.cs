using Evergreen.Contracts.Revisions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>The revisions read API and the admin sync trigger. Every error is a problem-details response.</summary>
internal static class RevisionsApi
{
    private const int DefaultLimit = 50;
    private const int MaxLimit = 200;
    private static readonly FileExtensionContentTypeProvider ContentTypes = CreateContentTypes();

    public static RouteGroupBuilder MapRevisionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapPost("/sync", SyncAsync).RequireAdmin();

        var revisions = api.MapGroup("/revisions");
        revisions.MapGet("/", ListAsync);
        revisions.MapGet("/latest", GetLatestAsync);
        revisions.MapGet("/{id}", GetAsync);
        revisions.MapGet("/{id}/snapshot", GetSnapshotAsync);
        revisions.MapGet("/{id}/files/{**path}", GetFileAsync);
        return api;
    }

    private static async Task<Results<Ok<SyncResult>, ProblemHttpResult>> SyncAsync(RevisionSyncService sync, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(await sync.RequestSyncAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return TypedResults.Problem(
                title: "The plugin repository could not be synced.",
                detail: ex.Message,
                statusCode: StatusCodes.Status502BadGateway);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<RevisionSummary>>, ProblemHttpResult>> ListAsync(
        RevisionStore store, int? limit, string? before, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(detail: $"limit must be between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        long? beforeSeq = null;
        if (before is not null)
        {
            beforeSeq = await store.GetSequenceAsync(before, cancellationToken);
            if (beforeSeq is null)
            {
                return TypedResults.Problem(detail: $"before: no revision '{before}' is stored.", statusCode: StatusCodes.Status400BadRequest);
            }
        }

        return TypedResults.Ok(await store.ListAsync(limit ?? DefaultLimit, beforeSeq, cancellationToken));
    }

    private static async Task<Results<Ok<RevisionSummary>, ProblemHttpResult>> GetLatestAsync(RevisionStore store, CancellationToken cancellationToken) =>
        await store.GetLatestValidAsync(cancellationToken) is { } latest
            ? TypedResults.Ok(latest)
            : TypedResults.Problem(detail: "No valid revision has been stored yet.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<Ok<RevisionDetails>, ProblemHttpResult>> GetAsync(string id, RevisionStore store, CancellationToken cancellationToken) =>
        await store.GetDetailsAsync(id, cancellationToken) is { } details ? TypedResults.Ok(details) : NotFound(id);

    private static async Task<IResult> GetSnapshotAsync(string id, RevisionStore store, HttpContext context, CancellationToken cancellationToken)
    {
        if (await store.GetSnapshotAsync(id, cancellationToken) is not var (json, checksum))
        {
            return NotFound(id);
        }

        var etag = new EntityTagHeaderValue($"\"{checksum}\"");
        context.Response.Headers.ETag = etag.ToString();
        context.Response.Headers.CacheControl = "no-cache";
        if (EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch, out var presented)
            && presented.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Text(json, "application/json");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetFileAsync(
        string id, string path, RevisionStore store, CancellationToken cancellationToken)
    {
        if (await store.GetFileAsync(id, path, cancellationToken) is not { } content)
        {
            return TypedResults.Problem(detail: $"Revision '{id}' has no file '{path}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var contentType = ContentTypes.TryGetContentType(path, out var known) ? known : "application/octet-stream";
        return TypedResults.File(content, contentType);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(detail: $"No revision '{id}' is stored.", statusCode: StatusCodes.Status404NotFound);

    private static FileExtensionContentTypeProvider CreateContentTypes()
    {
        var provider = new FileExtensionContentTypeProvider();
        provider.Mappings[".md"] = "text/markdown; charset=utf-8";
        provider.Mappings[".json"] = "application/json";
        provider.Mappings[".yaml"] = "application/yaml";
        provider.Mappings[".yml"] = "application/yaml";
        return provider;
    }
}
