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

    /// <summary>
    /// The snapshot JSON with ETag = SHA-256 of the uncompressed body. A client accepting br or gzip gets the cached
    /// precompressed body with Content-Encoding set here (so the response-compression middleware leaves it alone);
    /// any other client gets the plain JSON.
    /// </summary>
    private static async Task<IResult> GetSnapshotAsync(
        string id, RevisionStore store, CompressedSnapshotCache compressedSnapshots, HttpContext context, CancellationToken cancellationToken)
    {
        context.Response.Headers.Vary = HeaderNames.AcceptEncoding;
        context.Response.Headers.CacheControl = "no-cache";
        if (ChooseEncoding(context.Request) is { } encoding)
        {
            if (await compressedSnapshots.GetAsync(id, encoding, ct => store.GetSnapshotAsync(id, ct), cancellationToken) is not { } compressed)
            {
                return NotFound(id);
            }

            if (IsNotModified(context, compressed.Checksum))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            context.Response.Headers.ContentEncoding = encoding;
            return TypedResults.Bytes(compressed.Body, "application/json");
        }

        if (await store.GetSnapshotAsync(id, cancellationToken) is not var (json, checksum))
        {
            return NotFound(id);
        }

        return IsNotModified(context, checksum) ? TypedResults.StatusCode(StatusCodes.Status304NotModified) : TypedResults.Text(json, "application/json");
    }

    /// <summary>Sets the ETag; true when the request's If-None-Match already names it.</summary>
    private static bool IsNotModified(HttpContext context, string checksum)
    {
        var etag = new EntityTagHeaderValue($"\"{checksum}\"");
        context.Response.Headers.ETag = etag.ToString();
        return EntityTagHeaderValue.TryParseList(context.Request.Headers.IfNoneMatch, out var presented)
            && presented.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any));
    }

    /// <summary>The precompressed encoding the client accepts with the highest quality (gzip before br on a tie), or null.</summary>
    private static string? ChooseEncoding(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptEncoding, out var accepted))
        {
            return null;
        }

        string? best = null;
        var bestQuality = 0.0;
        foreach (var encoding in CompressedSnapshotCache.Encodings)
        {
            var match = accepted.FirstOrDefault(a => a.Value.Equals(encoding, StringComparison.OrdinalIgnoreCase))
                ?? accepted.FirstOrDefault(a => a.Value.Equals("*", StringComparison.Ordinal));
            var quality = match is null ? 0 : match.Quality ?? 1;
            if (quality > bestQuality)
            {
                (best, bestQuality) = (encoding, quality);
            }
        }

        return best;
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
