using System.Net;
using System.Net.Http.Json;
using Evergreen.Contracts.Revisions;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>ConfigStore's revisions API, as the registry uses it. A typed client; its base address is the <c>configstore</c> service.</summary>
internal sealed class ConfigStoreClient(HttpClient http)
{
    public const string ServiceName = "configstore";

    /// <summary>The latest valid revision, or null when ConfigStore has none yet.</summary>
    public async Task<RevisionSummary?> GetLatestAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("api/revisions/latest", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "api/revisions/latest", cancellationToken);
        return await response.Content.ReadFromJsonAsync<RevisionSummary>(cancellationToken);
    }

    /// <summary>The snapshot's exact (decompressed) body and its ETag without quotes. The caller disposes it.</summary>
    /// <param name="revisionId">The revision.</param>
    /// <param name="expectedLength">The likely length of the decompressed body (the previous snapshot's), to size the buffer.</param>
    /// <param name="cancellationToken">Cancels the fetch.</param>
    /// <exception cref="SnapshotLoadException">When ConfigStore has no such revision or answers with an error.</exception>
    public async Task<SnapshotBody> GetSnapshotAsync(string revisionId, int? expectedLength, CancellationToken cancellationToken)
    {
        var path = $"api/revisions/{Uri.EscapeDataString(revisionId)}/snapshot";
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SnapshotLoadException(revisionId, "not-found", $"ConfigStore has no snapshot of revision '{revisionId}' (404).");
        }

        await EnsureSuccessAsync(response, path, cancellationToken);
        await using var content = await response.Content.ReadAsStreamAsync(cancellationToken);
        // A compressed response has no Content-Length once decompressed.
        var length = response.Content.Headers.ContentLength is { } known and <= int.MaxValue ? (int)known : expectedLength;
        return await SnapshotBody.ReadAsync(content, length, response.Headers.ETag?.Tag.Trim('"'), cancellationToken);
    }

    /// <summary>A file's bytes, or null when the revision has no such file.</summary>
    public async Task<byte[]?> GetFileAsync(string revisionId, string path, CancellationToken cancellationToken)
    {
        var escapedPath = string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
        var relative = $"api/revisions/{Uri.EscapeDataString(revisionId)}/files/{escapedPath}";
        using var response = await http.GetAsync(new Uri(relative, UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, relative, cancellationToken);
        return await response.Content.ReadAsByteArrayAsync(cancellationToken);
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException(
                $"ConfigStore answered {(int)response.StatusCode} to GET {http.BaseAddress}{path}: {Truncate(detail)}", null, response.StatusCode);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
