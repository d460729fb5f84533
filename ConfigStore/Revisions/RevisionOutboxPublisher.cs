using System.Text.Json;
using System.Threading.Channels;
using Evergreen.Contracts.Revisions;
using Evergreen.ServiceDefaults.Data;
using Evergreen.ServiceDefaults.Hosting;
using Evergreen.ServiceDefaults.Redis;
using Npgsql;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Publishes the rows of <c>revision_outbox</c> on <see cref="RevisionPublished.Channel"/>, oldest first, and marks
/// them published. A row stays pending until Redis accepted its event: while Redis is down the loop backs off and
/// wakes when the connection is restored, so no event is lost (delivery is at least once).
/// </summary>
internal sealed class RevisionOutboxPublisher(
    NpgsqlDataSource dataSource,
    IRedisBus bus,
    DatabaseMigrationState migrations,
    TimeProvider time,
    ILogger<RevisionOutboxPublisher> logger)
    : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Asks the loop to look at the outbox now (a revision was stored, or Redis is back). Never blocks.</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await migrations.WaitForCompletionAsync(stoppingToken);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        catch (MigrationException)
        {
            // The migrator stops the application and says why.
            return;
        }

        bus.ConnectionRestored += OnConnectionRestored;
        try
        {
            var retryDelay = FirstRetryDelay;
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var published = bus.IsConnected ? await PublishPendingAsync(stoppingToken) : throw new RedisUnavailableException("Redis is not connected.");
                    retryDelay = FirstRetryDelay;
                    if (published < BatchSize)
                    {
                        await WaitForWakeAsync(IdlePoll, stoppingToken);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // Whatever failed (Redis down, PostgreSQL down, a bug), the rows stay pending: retry rather than
                    // let the host stop and take the API down with it.
                    Log.OutboxPublishDeferred(logger, retryDelay, ex.Message);
                    await WaitForWakeAsync(retryDelay, stoppingToken);
                    retryDelay = RetryDelay.Doubled(retryDelay, MaxRetryDelay);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            bus.ConnectionRestored -= OnConnectionRestored;
        }
    }

    private void OnConnectionRestored(object? sender, EventArgs e) => Wake();

    /// <summary>Publishes one batch; rows published before a failure stay marked. Returns how many were published.</summary>
    private async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var pending = new List<(long OutboxId, RevisionPublished Event)>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT o.id, r.id, r.parent_id, r.checksum, r.status, r.plugin_count
            FROM revision_outbox o JOIN revisions r ON r.id = o.revision_id
            WHERE o.published_at IS NULL
            ORDER BY o.id
            LIMIT $1
            FOR UPDATE OF o SKIP LOCKED
            """, connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), new RevisionPublished
                {
                    RevisionId = reader.GetString(1),
                    ParentId = reader.IsDBNull(2) ? null : reader.GetString(2),
                    Checksum = reader.GetString(3),
                    Status = reader.GetString(4),
                    PluginCount = reader.GetInt32(5),
                    PublishedAt = default,
                }));
            }
        }

        var published = 0;
        try
        {
            foreach (var (outboxId, template) in pending)
            {
                var message = template with { PublishedAt = time.GetUtcNow() };
                await bus.PublishAsync(RevisionPublished.Channel, JsonSerializer.Serialize(message, RevisionFactory.Json), cancellationToken);
                await using var mark = new NpgsqlCommand(
                    "UPDATE revision_outbox SET published_at = now(), attempts = attempts + 1 WHERE id = $1", connection, transaction);
                mark.Parameters.Add(new NpgsqlParameter { Value = outboxId });
                await mark.ExecuteNonQueryAsync(cancellationToken);
                published++;
                Log.RevisionPublished(logger, message.RevisionId, message.Status);
            }
        }
        finally
        {
            if (published > 0)
            {
                await transaction.CommitAsync(CancellationToken.None);
            }
        }

        if (published == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
        }

        return published;
    }

    private async Task WaitForWakeAsync(TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeoutSource.Token);
        try
        {
            await _wake.Reader.ReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // Timed out: look at the outbox anyway (another replica may have written to it).
        }
    }
}
