using System.Globalization;
using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>Request bodies reach the destination whole, with a length it can rely on.</summary>
public sealed class RequestBodyTests
{
    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Theory]
    [InlineData(5)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(300_000)]
    public async Task Forward_PostWithContentLength_BodyArrivesByteIdentical(int size)
    {
        var body = new byte[size];
        new Random(size).NextBytes(body);
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var response = await gateway.Client.PostAsync("/v1/upload", new ByteArrayContent(body), Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(destination.Requests);
        Assert.Equal("POST", seen.Method);
        Assert.Equal([size.ToString(CultureInfo.InvariantCulture)], seen.Values("Content-Length"));
        Assert.Empty(seen.Values("Transfer-Encoding"));
        Assert.True(body.AsSpan().SequenceEqual(seen.Body), "the body differs from what the client sent");
    }

    [Fact]
    public async Task Forward_ChunkedRequestBody_ArrivesWholeWithContentLength()
    {
        var body = new byte[40_000];
        new Random(3).NextBytes(body);
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/upload") { Content = new ByteArrayContent(body) };
        request.Headers.TransferEncodingChunked = true;
        using var response = await gateway.Client.SendAsync(request, Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(destination.Requests);
        Assert.Equal([body.Length.ToString(CultureInfo.InvariantCulture)], seen.Values("Content-Length"));
        Assert.Empty(seen.Values("Transfer-Encoding"));
        Assert.True(body.AsSpan().SequenceEqual(seen.Body), "the body differs from what the client sent");
    }

    [Fact]
    public async Task Forward_EmptyPostAndGet_PostKeepsContentLengthZeroGetHasNoFraming()
    {
        await using var destination = ScriptedHttpServer.Always("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using (var post = await gateway.Client.PostAsync("/v1/ping", new ByteArrayContent([]), Cancellation).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        using (var get = await gateway.Client.GetAsync("/v1/ping", Cancellation).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        }

        var seen = destination.Requests.ToArray();
        Assert.Equal(["POST", "GET"], seen.Select(r => r.Method));
        Assert.Equal(["0"], seen[0].Values("Content-Length"));
        Assert.Empty(seen[0].Body);
        Assert.Empty(seen[1].Values("Content-Length"));
        Assert.Empty(seen[1].Values("Transfer-Encoding"));
    }
}
