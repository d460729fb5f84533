using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Revisions;

public sealed class RevisionsApiTests(PostgresServerFixture postgres, RedisServerFixture redis)
{
    [Fact]
    public async Task GetSnapshot_IfNoneMatchWithItsETag_Returns304AndIsCompressedOtherwise()
    {
        await using var database = await postgres.CreateDatabaseAsync("api_snapshot", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        var commit = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();
        var ct = TestContext.Current.CancellationToken;

        using var first = await host.Client.GetAsync(new Uri($"/api/revisions/{commit}/snapshot", UriKind.Relative), ct).DefaultTimeout();
        var etag = first.Headers.ETag;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{commit}/snapshot");
        conditional.Headers.IfNoneMatch.Add(etag!);
        using var notModified = await host.Client.SendAsync(conditional, ct).DefaultTimeout();
        using var compressedRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{commit}/snapshot");
        compressedRequest.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var compressed = await host.Client.SendAsync(compressedRequest, ct).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var details = await host.GetAsync<RevisionDetails>($"/api/revisions/{commit}");
        Assert.Equal($"\"{details.SnapshotChecksum}\"", etag!.Tag);
        Assert.Contains("\"plugins\"", await first.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
    }

    [Theory]
    [InlineData("gzip", "gzip")]
    [InlineData("br", "br")]
    [InlineData("gzip;q=0.5, br;q=0.9", "br")]
    [InlineData("br;q=0, gzip", "gzip")]
    [InlineData("gzip, deflate, br", "gzip")] // what the runtime's HttpClient sends
    public async Task GetSnapshot_CompressedRequest_ServesTheSameJsonAndETagTwice(string acceptEncoding, string expectedEncoding)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await postgres.CreateDatabaseAsync("api_snapshot_encoded", ct);
        await using var repository = await PluginGitRepository.CreateAsync();
        var commit = await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")), ("p/agents/a.md", PluginGitRepository.Agent("a")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        using var plain = await host.Client.GetAsync(new Uri($"/api/revisions/{commit}/snapshot", UriKind.Relative), ct).DefaultTimeout();
        var plainBytes = await plain.Content.ReadAsByteArrayAsync(ct);
        var encoded = new List<(HttpResponseMessage Response, byte[] Json)>();
        for (var i = 0; i < 2; i++) // the second answer comes from the cache of compressed bodies
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/revisions/{commit}/snapshot");
            request.Headers.TryAddWithoutValidation("Accept-Encoding", acceptEncoding);
            var response = await host.Client.SendAsync(request, ct).DefaultTimeout();
            encoded.Add((response, Decompress(await response.Content.ReadAsByteArrayAsync(ct), expectedEncoding)));
        }

        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal($"\"{Convert.ToHexStringLower(SHA256.HashData(plainBytes))}\"", plain.Headers.ETag!.Tag);
        Assert.All(encoded, e =>
        {
            Assert.Equal(HttpStatusCode.OK, e.Response.StatusCode);
            Assert.Equal([expectedEncoding], e.Response.Content.Headers.ContentEncoding);
            Assert.Equal(plain.Headers.ETag, e.Response.Headers.ETag);
            Assert.Equal(plainBytes, e.Json);
            e.Response.Dispose();
        });
    }

    [Fact]
    public async Task GetRevision_SecondCommit_ShowsTheFilesItChangedAndServesThem()
    {
        await using var database = await postgres.CreateDatabaseAsync("api_changes", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await repository.CommitAsync("first", ("p/.claude-plugin/plugin.json", PluginGitRepository.Manifest("p")), ("p/agents/a.md", PluginGitRepository.Agent("a")), ("p/agents/old.md", PluginGitRepository.Agent("old")));
        repository.Clone.DeleteFile("p/agents/old.md");
        var second = await repository.CommitAsync("second", ("p/agents/a.md", PluginGitRepository.Agent("a") + "More.\n"), ("p/agents/b.md", PluginGitRepository.Agent("b")));
        await repository.PushAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        var changes = (await host.GetAsync<RevisionDetails>($"/api/revisions/{second}")).Changes;
        var file = await host.Client.GetStringAsync(new Uri($"/api/revisions/{second}/files/p/agents/a.md", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Equal(["p/agents/b.md"], changes.Added);
        Assert.Equal(["p/agents/a.md"], changes.Modified);
        Assert.Equal(["p/agents/old.md"], changes.Removed);
        Assert.Equal(PluginGitRepository.Agent("a") + "More.\n", file);
    }

    [Theory]
    [InlineData("/api/revisions/0000000000000000000000000000000000000000", HttpStatusCode.NotFound)]
    [InlineData("/api/revisions/0000000000000000000000000000000000000000/snapshot", HttpStatusCode.NotFound)]
    [InlineData("/api/revisions/latest", HttpStatusCode.NotFound)]
    [InlineData("/api/revisions?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/revisions?before=unknown", HttpStatusCode.BadRequest)]
    public async Task Get_BadRequestOrUnknownRevision_ReturnsProblemDetails(string path, HttpStatusCode expected)
    {
        await using var database = await postgres.CreateDatabaseAsync("api_errors", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        await host.SyncAsync();

        using var response = await host.Client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task PostSync_WithoutAdminToken_Returns401()
    {
        await using var database = await postgres.CreateDatabaseAsync("api_auth", TestContext.Current.CancellationToken);
        await using var repository = await PluginGitRepository.CreateAsync();
        await using var host = ConfigStoreHost.Start(database.ConnectionString, redis.ConnectionString, repository.Url, repository.WorkFolder);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sync") { Content = new StringContent("", Encoding.UTF8) };
        request.Headers.Authorization = null;
        host.Client.DefaultRequestHeaders.Authorization = null;

        using var response = await host.Client.SendAsync(request, TestContext.Current.CancellationToken).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decompressor = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressor.CopyTo(output);
        return output.ToArray();
    }
}
