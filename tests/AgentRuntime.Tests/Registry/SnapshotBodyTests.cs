using System.Security.Cryptography;
using Evergreen.AgentRuntime.Registry;

namespace Evergreen.AgentRuntime.Tests.Registry;

/// <summary>Reading a fetched snapshot into a pooled buffer while its SHA-256 is computed chunk by chunk on another thread.</summary>
public sealed class SnapshotBodyTests
{
    [Theory]
    [InlineData(0, null)]
    [InlineData(1000, null)]
    [InlineData(3_000_001, null)] // several hash chunks and several buffer growths
    [InlineData(3_000_001, 3_000_001)] // the exact length known
    [InlineData(3_000_001, 100_000)] // a hint that is too small
    [InlineData(100_000, 3_000_001)] // a hint that is too large
    public async Task ReadAsync_AnyLengthAndHint_HoldsTheExactBytesAndTheirSha256(int length, int? hint)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        await using var content = new TrickleStream(bytes, maxRead: 70_000);

        await using var body = await SnapshotBody.ReadAsync(content, hint, "etag", TestContext.Current.CancellationToken);

        Assert.Equal(length, body.Length);
        Assert.True(body.Memory.Span.SequenceEqual(bytes));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), await body.Checksum);
        Assert.Equal("etag", body.ETag);
    }

    [Fact]
    public async Task ReadAsync_StreamFailsHalfway_ThrowsTheStreamsError()
    {
        await using var content = new TrickleStream(new byte[2_000_000], maxRead: 70_000, failAfter: 1_000_000);

        var error = await Assert.ThrowsAsync<IOException>(() => SnapshotBody.ReadAsync(content, null, null, TestContext.Current.CancellationToken));

        Assert.Equal("connection reset", error.Message);
    }

    /// <summary>Returns at most <c>maxRead</c> bytes per read, as a network stream does; optionally fails after some bytes.</summary>
    private sealed class TrickleStream(byte[] bytes, int maxRead, int failAfter = int.MaxValue) : MemoryStream(bytes, writable: false)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Position >= failAfter
                ? ValueTask.FromException<int>(new IOException("connection reset"))
                : base.ReadAsync(buffer[..Math.Min(buffer.Length, maxRead)], cancellationToken);
    }
}
