namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// One destination's idle keep-alive connections, kept apart by the event thread that completes each one's I/O (its
/// <see cref="BackendConnection.Home"/>). Most recently returned first within each home.
/// </summary>
/// <remarks>
/// A request's code runs on the event thread whose socket wait completed last: an event loop's
/// (<see cref="Sockets.EventLoops"/>), or with the loops off the runtime's socket event thread when completions are inline
/// (<see cref="Extensions.InlineIo"/>). Client connections are spread over those threads, so a client connection and the
/// destination connection its request borrows could live on different threads, and every request would then need both
/// threads to get a core — on a busy machine each wait for the scheduler adds to the latency tail (benchmark: p99 several
/// times nginx's with two event threads, at nginx's with one). Renting, from an event thread, only connections homed on
/// that thread keeps a request on one thread from the client's bytes to the response, as nginx's workers do. A thread
/// whose home is empty opens a new connection rather than borrow another thread's: an event loop homes it on itself (the
/// runtime, with the loops off, at random), and after a few requests every home holds about what its thread needs (capped
/// by <see cref="BackendEndpoint"/>'s idle limit). Threads that are not event threads (YARP's path, Kestrel's I/O queues)
/// take from any home. Connections without a home yet, or all of them when completions are not inline, share home 0,
/// which everyone takes from.
/// </remarks>
internal sealed class IdleConnections
{
    private readonly Lock _homesGate = new();

    /// <summary>Copy-on-write: a home is added when a connection first completes I/O on a new event thread, never removed.</summary>
    private Home[] _homes = [new Home(BackendConnection.NoHome)];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>
    /// The most recently returned connection for a request running on thread <paramref name="thread"/>: of its home when it
    /// is an event thread that has one, else of any home; a connection without a home suits every thread.
    /// </summary>
    public bool TryPop(int thread, out BackendConnection connection)
    {
        var homes = Volatile.Read(ref _homes);
        var own = Find(homes, thread);
        if (own is not null && TryPop(own, out connection))
        {
            return true;
        }

        var onEventThread = own is not null;
        foreach (var home in homes)
        {
            if ((home.ThreadId == BackendConnection.NoHome || !onEventThread) && TryPop(home, out connection))
            {
                return true;
            }
        }

        connection = null!;
        return false;
    }

    /// <summary>Keeps <paramref name="connection"/> in its home unless <paramref name="limit"/> connections are idle already.</summary>
    public bool TryPush(BackendConnection connection, int limit)
    {
        var home = HomeOf(connection.Home);
        lock (home.Idle)
        {
            if (Interlocked.Increment(ref _count) > limit)
            {
                Interlocked.Decrement(ref _count);
                return false;
            }

            home.Idle.Push(connection);
            return true;
        }
    }

    /// <summary>Takes out every connection <paramref name="remove"/> selects; the others keep their order.</summary>
    public List<BackendConnection> RemoveWhere(Func<BackendConnection, bool> remove)
    {
        var removed = new List<BackendConnection>();
        foreach (var home in Volatile.Read(ref _homes))
        {
            lock (home.Idle)
            {
                if (!home.Idle.Any(remove))
                {
                    continue;
                }

                var newestFirst = home.Idle.ToArray();
                home.Idle.Clear();
                for (var i = newestFirst.Length - 1; i >= 0; i--)
                {
                    if (remove(newestFirst[i]))
                    {
                        removed.Add(newestFirst[i]);
                        Interlocked.Decrement(ref _count);
                    }
                    else
                    {
                        home.Idle.Push(newestFirst[i]);
                    }
                }
            }
        }

        return removed;
    }

    private bool TryPop(Home home, out BackendConnection connection)
    {
        lock (home.Idle)
        {
            if (home.Idle.TryPop(out connection!))
            {
                Interlocked.Decrement(ref _count);
                return true;
            }
        }

        return false;
    }

    private Home HomeOf(int threadId)
    {
        if (Find(Volatile.Read(ref _homes), threadId) is { } known)
        {
            return known;
        }

        lock (_homesGate)
        {
            var homes = _homes;
            if (Find(homes, threadId) is { } addedMeanwhile)
            {
                return addedMeanwhile;
            }

            var added = new Home(threadId);
            Volatile.Write(ref _homes, [.. homes, added]);
            return added;
        }
    }

    private static Home? Find(Home[] homes, int threadId)
    {
        foreach (var home in homes)
        {
            if (home.ThreadId == threadId)
            {
                return home;
            }
        }

        return null;
    }

    private sealed class Home(int threadId)
    {
        public int ThreadId { get; } = threadId;

        public Stack<BackendConnection> Idle { get; } = new();
    }
}
