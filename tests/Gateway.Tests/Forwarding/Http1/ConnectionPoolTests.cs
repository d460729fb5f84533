using System.Net.Sockets;
using Evergreen.Gateway.Forwarding.Http1;
using Evergreen.Gateway.Sockets;

namespace Evergreen.Gateway.Tests.Forwarding.Http1;

/// <summary>
/// The destination connection pool's two rules that no end-to-end test can pin down: a request on a socket event thread
/// borrows only connections whose I/O completes on that same thread, and the activity watchdog cancels a request whose
/// destination went silent — never a later request on the same connection.
/// </summary>
public sealed class ConnectionPoolTests
{
    private const int EventThreadA = 101;
    private const int EventThreadB = 102;
    private const int PoolThread = 103;

    [Fact]
    public void IdlePool_EventThread_BorrowsOnlyItsOwnHomeOrHomelessConnections()
    {
        var pool = new IdleConnections();
        using var onA = Connection(home: EventThreadA);
        using var onB = Connection(home: EventThreadB);
        Assert.True(pool.TryPush(onA, limit: 10));
        Assert.True(pool.TryPush(onB, limit: 10));

        Assert.True(pool.TryPop(EventThreadA, out var first));
        Assert.Same(onA, first);
        Assert.False(pool.TryPop(EventThreadA, out _)); // B's connection stays for B; A opens a new one instead
        Assert.True(pool.TryPop(EventThreadB, out var second));
        Assert.Same(onB, second);

        using var homeless = Connection(home: BackendConnection.NoHome);
        Assert.True(pool.TryPush(homeless, limit: 10));
        Assert.True(pool.TryPop(EventThreadA, out var third));
        Assert.Same(homeless, third);
    }

    [Fact]
    public void IdlePool_ThreadThatIsNoEventThread_BorrowsFromAnyHome()
    {
        var pool = new IdleConnections();
        using var onA = Connection(home: EventThreadA);
        using var onB = Connection(home: EventThreadB);
        pool.TryPush(onA, limit: 10);
        pool.TryPush(onB, limit: 10);

        Assert.True(pool.TryPop(PoolThread, out var first));
        Assert.True(pool.TryPop(PoolThread, out var second));
        Assert.Equal(new[] { onA, onB }.ToHashSet(), new[] { first, second }.ToHashSet());
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void IdlePool_KeepsAtMostTheLimit_AndRemovesOnlyWhatIsSelected_NewestFirstAfter()
    {
        var pool = new IdleConnections();
        using var old = Connection(home: EventThreadA);
        using var newer = Connection(home: EventThreadA);
        using var newest = Connection(home: EventThreadA);
        using var tooMany = Connection(home: EventThreadB);
        old.IdleSinceTicks = 1;
        newer.IdleSinceTicks = 2;
        newest.IdleSinceTicks = 3;
        Assert.True(pool.TryPush(old, limit: 3));
        Assert.True(pool.TryPush(newer, limit: 3));
        Assert.True(pool.TryPush(newest, limit: 3));
        Assert.False(pool.TryPush(tooMany, limit: 3));

        var removed = pool.RemoveWhere(c => c.IdleSinceTicks < 2);

        Assert.Equal([old], removed);
        Assert.Equal(2, pool.Count);
        Assert.True(pool.TryPop(EventThreadA, out var first));
        Assert.Same(newest, first);
        Assert.True(pool.TryPop(EventThreadA, out var second));
        Assert.Same(newer, second);
    }

    [Fact]
    public void Watchdog_DestinationSilentLongerThanTheActivityTimeout_CancelsTheRequest()
    {
        using var connection = Connection(home: BackendConnection.NoHome);
        connection.Begin(CancellationToken.None, TimeSpan.FromSeconds(1));

        connection.CancelIfSilent(Environment.TickCount64 + 500);
        Assert.False(connection.Token.IsCancellationRequested);

        connection.CancelIfSilent(Environment.TickCount64 + 1_500);
        Assert.True(connection.Token.IsCancellationRequested);
        Assert.False(connection.End()); // a timed-out connection never goes back to the pool
    }

    [Fact]
    public void Watchdog_ActivityStartsTheTimeoutAgain_AndAnEndedRequestIsNeverCancelled()
    {
        using var connection = Connection(home: BackendConnection.NoHome);
        connection.Begin(CancellationToken.None, TimeSpan.FromSeconds(1));
        connection.Touch();
        connection.CancelIfSilent(Environment.TickCount64 + 900);
        Assert.True(connection.End());

        // Between requests the connection is idle in the pool: however long, the watchdog leaves it alone.
        connection.CancelIfSilent(Environment.TickCount64 + 60_000);
        Assert.False(connection.Token.IsCancellationRequested);

        connection.Begin(CancellationToken.None, TimeSpan.FromSeconds(1));
        connection.CancelIfSilent(Environment.TickCount64 + 100);
        Assert.False(connection.Token.IsCancellationRequested);
        Assert.True(connection.End());
    }

    private static BackendConnection Connection(int home) =>
        new(EventSocket.Attach(new Socket(SocketType.Stream, ProtocolType.Tcp))) { Home = home };
}
