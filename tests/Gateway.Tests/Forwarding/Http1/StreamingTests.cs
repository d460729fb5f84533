using System.Net;
using Evergreen.Gateway.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>A streamed response reaches the client piece by piece, as the destination sends it.</summary>
public sealed class StreamingTests
{
    private static CancellationToken Cancellation => Http1Gateway.Cancellation;

    [Fact]
    public async Task Forward_ServerSentEvents_FirstEventArrivesBeforeTheSecondIsWritten()
    {
        var secondReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var destination = LoopbackApps.CreateSlim();
        destination.MapGet("/health/ready", () => Results.Ok("ready"));
        destination.MapGet("/v1/events", async (HttpContext context) =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("event: first\ndata: one\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await secondReleased.Task.WaitAsync(context.RequestAborted);
            await context.Response.WriteAsync("event: second\ndata: two\n\n", context.RequestAborted);
        });
        await destination.StartAsync(Cancellation).DefaultTimeout();
        await using var gateway = await Http1Gateway.StartAsync(new Uri(LoopbackApps.AddressOf(destination.Services)));

        using var response = await gateway.Client.GetAsync("/v1/events", HttpCompletionOption.ResponseHeadersRead, Cancellation).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancellation).DefaultTimeout());

        // Nothing more is written until the first event has been read: a forwarder that buffered would hang here.
        Assert.Equal("event: first", await reader.ReadLineAsync(Cancellation).AsTask().DefaultTimeout(TimeSpan.FromSeconds(5)));
        Assert.Equal("data: one", await reader.ReadLineAsync(Cancellation).AsTask().DefaultTimeout());
        Assert.Equal(string.Empty, await reader.ReadLineAsync(Cancellation).AsTask().DefaultTimeout());
        secondReleased.SetResult();
        Assert.Equal("event: second\ndata: two\n\n", await reader.ReadToEndAsync(Cancellation).DefaultTimeout());
    }
}
