using System.Collections.Concurrent;
using System.Text.Json;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using StackExchange.Redis;

namespace Evergreen.ConfigStore.Tests.Proposals;

/// <summary>A plain StackExchange.Redis subscriber of <see cref="RevisionPublished.Channel"/>, independent of ConfigStore.</summary>
internal sealed class RevisionSubscriber : IDisposable
{
    private readonly ConnectionMultiplexer _connection;
    private readonly ConcurrentQueue<RevisionPublished> _received = new();

    private RevisionSubscriber(ConnectionMultiplexer connection) => _connection = connection;

    public static async Task<RevisionSubscriber> ConnectAsync(string connectionString)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(connectionString).DefaultTimeout();
        var subscriber = new RevisionSubscriber(connection);
        await connection.GetSubscriber().SubscribeAsync(RevisionPublished.Channel, (_, message) =>
            subscriber._received.Enqueue(JsonSerializer.Deserialize<RevisionPublished>((string)message!, ProposalTestbed.Json)!)).DefaultTimeout();
        return subscriber;
    }

    public async Task<RevisionPublished> WaitForAsync(string revisionId)
    {
        await Eventually.Until(
            () => _received.Any(e => e.RevisionId == revisionId),
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, $"revision {revisionId} was published", TestContext.Current.CancellationToken);
        return _received.First(e => e.RevisionId == revisionId);
    }

    public void Dispose() => _connection.Dispose();
}
