using System.Net;
using System.Text;
using Evergreen.Gateway.Tests.Infrastructure;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>How the forwarder delimits a destination's response body, as the client sees it.</summary>
public sealed class ResponseFramingTests
{
    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Fact]
    public async Task Forward_LargeContentLengthBody_ArrivesByteIdentical()
    {
        var payload = new byte[1024 * 1024];
        new Random(42).NextBytes(payload);
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync($"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {payload.Length}\r\n\r\n");
            await exchange.WriteAsync(payload);
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.GetAsync("/v1/blob", Cancellation).DefaultTimeout();
            var received = await response.Content.ReadAsByteArrayAsync(Cancellation).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(payload.Length, response.Content.Headers.ContentLength);
            Assert.Equal(payload.Length, received.Length);
            Assert.True(payload.AsSpan().SequenceEqual(received), "the body differs from what the destination sent");
        }

        // The body was read exactly to its length: the second request reused the connection.
        Assert.Single(destination.RequestConnections);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task Forward_ChunkedBodyWithExtensions_ArrivesDecodedAndConnectionIsReused(bool trailer, bool split)
    {
        string[] pieces =
        [
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n" + (trailer ? "Trailer: X-Checksum\r\n" : string.Empty) + "\r\n",
            "5;name=value\r\nhello\r\n",
            "1 ; quoted=\"a;b\"\r\n \r\n",
            "6\r\nworld!\r\n",
            "0\r\n" + (trailer ? "X-Checksum: abc123\r\n" : string.Empty) + "\r\n",
        ];
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            if (split)
            {
                foreach (var piece in pieces)
                {
                    await exchange.WriteAsync(piece);
                }
            }
            else
            {
                await exchange.WriteAsync(string.Concat(pieces));
            }
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.GetAsync("/v1/chunked", Cancellation).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("hello world!", await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
            Assert.False(response.Headers.Contains("Trailer"));
        }

        // The last chunk and its trailers were consumed exactly: every request went over the one connection.
        Assert.Single(destination.RequestConnections);
    }

    [Fact]
    public async Task Forward_LargeChunkedBody_ArrivesByteIdentical()
    {
        var payload = new byte[700_000];
        new Random(7).NextBytes(payload);
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (var offset = 0; offset < payload.Length; offset += 50_000)
            {
                var size = Math.Min(50_000, payload.Length - offset);
                await exchange.WriteAsync([.. Encoding.ASCII.GetBytes($"{size:x}\r\n"), .. payload.AsSpan(offset, size), .. "\r\n"u8]);
            }

            await exchange.WriteAsync("0\r\n\r\n");
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        var received = await gateway.Client.GetByteArrayAsync("/v1/blob", Cancellation).DefaultTimeout();

        Assert.Equal(payload.Length, received.Length);
        Assert.True(payload.AsSpan().SequenceEqual(received), "the body differs from what the destination sent");
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\n")]
    public async Task Forward_BodyDelimitedByClose_ArrivesWhole(string head)
    {
        var body = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i}\n"));
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync(head);
            await exchange.WriteAsync(body[..1000]);
            await exchange.WriteAsync(body[1000..]);
            exchange.Close();
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        for (var i = 0; i < 2; i++)
        {
            using var response = await gateway.Client.GetAsync("/v1/stream", Cancellation).DefaultTimeout();

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(body, await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
        }

        Assert.Equal(2, destination.RequestConnections.Count);
    }

    [Fact]
    public async Task Forward_HeadRequestAnd204And304_NoBodyAndConnectionStillUsable()
    {
        await using var destination = ScriptedHttpServer.Start(exchange => exchange.WriteAsync(exchange.Request.Path switch
        {
            "/v1/empty" => "HTTP/1.1 204 No Content\r\nX-Kind: empty\r\n\r\n",
            "/v1/cached" => "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 1234\r\n\r\n",
            _ when exchange.Request.Method == "HEAD" => "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1234\r\n\r\n",
            _ => "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nbody",
        }));
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using (var head = await gateway.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/v1/doc"), Cancellation).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal(1234, head.Content.Headers.ContentLength);
            Assert.Empty(await head.Content.ReadAsByteArrayAsync(Cancellation).DefaultTimeout());
        }

        using (var empty = await gateway.Client.GetAsync("/v1/empty", Cancellation).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
            Assert.Equal("empty", empty.Headers.GetValues("X-Kind").Single());
            Assert.Empty(await empty.Content.ReadAsByteArrayAsync(Cancellation).DefaultTimeout());
        }

        using (var cached = await gateway.Client.GetAsync("/v1/cached", Cancellation).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NotModified, cached.StatusCode);
            Assert.Equal("\"v1\"", cached.Headers.ETag?.Tag);
            Assert.Empty(await cached.Content.ReadAsByteArrayAsync(Cancellation).DefaultTimeout());
        }

        Assert.Equal("body", await gateway.Client.GetStringAsync("/v1/doc", Cancellation).DefaultTimeout());

        // No body was waited for after any of them: all four went over one connection.
        Assert.Single(destination.RequestConnections);
        Assert.Equal(4, destination.Requests.Count);
    }

    [Fact]
    public async Task Forward_InterimResponsesBeforeFinal_ClientGetsFinalResponse()
    {
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync("HTTP/1.1 100 Continue\r\n\r\n");
            await exchange.WriteAsync("HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n");
            await exchange.WriteAsync("HTTP/1.1 201 Created\r\nContent-Length: 5\r\nLocation: /v1/runs/1\r\n\r\nfinal");
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        using var response = await gateway.Client.PostAsync("/v1/runs", new StringContent("start"), Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("final", await response.Content.ReadAsStringAsync(Cancellation).DefaultTimeout());
        Assert.Equal("/v1/runs/1", response.Headers.Location?.OriginalString);
        Assert.False(response.Headers.Contains("Link"), "an interim response's headers leaked into the final one");
    }

    [Fact]
    public async Task Forward_DestinationClosesMidBody_ClientReadFailsAndDestinationErrorIsCounted()
    {
        await using var destination = ScriptedHttpServer.Start(async exchange =>
        {
            await exchange.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789");
            exchange.Close();
        });
        await using var gateway = await Http1Gateway.StartAsync(destination.Address);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => gateway.Client.GetByteArrayAsync("/v1/truncated", Cancellation).DefaultTimeout());

        await Eventually.Until(
            async () => (await gateway.GetDestinationsAsync()).Single(d => d.Id == GatewayTestHost.Blue).Errors == 1,
            TimeSpan.FromSeconds(10),
            "the truncated response counts as an error of the destination",
            Cancellation);
    }
}
