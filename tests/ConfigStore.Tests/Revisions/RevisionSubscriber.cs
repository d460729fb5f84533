using System.Collections.Concurrent;
using System.Text.Json;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using StackExchange.Redis;

namespace Evergreen.ConfigStore.Tests.Revisions;

/// <summary>A plain StackExchange.Redis subscriber of <see cref="RevisionPublished.Channel"/>, independent of ConfigStore's bus.</summary>
internal sealed class RevisionSubscriber : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConnectionMultiplexer _connection;
    private readonly ConcurrentQueue<RevisionPublished> _received = new();

    private RevisionSubscriber(ConnectionMultiplexer connection) => _connection = connection;

    public IReadOnlyCollection<RevisionPublished> Received => _received;

    /// <summary>Connects and subscribes; returns once Redis acknowledged the subscription.</summary>
    public static async Task<RevisionSubscriber> ConnectAsync(string connectionString)
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(connectionString).DefaultTimeout();
        var subscriber = new RevisionSubscriber(connection);
        await connection.GetSubscriber().SubscribeAsync(RevisionPublished.Channel, (_, message) =>
            subscriber._received.Enqueue(JsonSerializer.Deserialize<RevisionPublished>((string)message!, Json)!)).DefaultTimeout();
        return subscriber;
    }

    public Task<RevisionPublished> WaitForAsync(string revisionId) => WaitForAsync(revisionId, status: null);

    /// <param name="revisionId">The revision.</param>
    /// <param name="status">Null for any event of the revision; else an event with this status.</param>
    public async Task<RevisionPublished> WaitForAsync(string revisionId, string? status)
    {
        bool Matches(RevisionPublished e) => e.RevisionId == revisionId && (status is null || e.Status == status);
        await Eventually.Until(
            () => _received.Any(Matches),
            TaskTimeoutExtensions.DefaultTimeoutTimeSpan, $"revision {revisionId} was published{(status is null ? "" : $" as {status}")}", TestContext.Current.CancellationToken);
        return _received.First(Matches);
    }

    public void Dispose() => _connection.Dispose();
}
