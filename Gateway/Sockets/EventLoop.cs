using System.Runtime.InteropServices;

namespace Evergreen.Gateway.Sockets;

/// <summary>
/// One thread waiting on one epoll set and running, inline, whatever waited for the sockets registered with it
/// (<see cref="EventSocket"/>). The thread lives as long as the process, like the runtime's own socket event threads.
/// </summary>
/// <remarks>
/// An event carries a key, not the socket: a slot in <see cref="_sockets"/> and a generation. A socket unregistered while
/// its last events were already read from the kernel is simply not found again, even when a new socket took its slot.
/// </remarks>
internal sealed unsafe class EventLoop
{
    private const int MaxEvents = 256;

    [ThreadStatic]
    private static EventLoop? t_current;

    private readonly int _epoll;
    private readonly Lock _gate = new();
    private readonly Stack<int> _freeSlots = new();
    private EventSocket?[] _sockets = new EventSocket?[256];
    private int _usedSlots;
    private uint _generation;

    public EventLoop(int index)
    {
        _epoll = Epoll.Create();
        var thread = new Thread(Run) { IsBackground = true, Name = $"Evergreen event loop {index}" };
        thread.UnsafeStart();
        ThreadId = thread.ManagedThreadId;
    }

    /// <summary>The loop whose thread is running the caller; null on any other thread.</summary>
    public static EventLoop? Current => t_current;

    /// <summary>The managed thread id of the loop's thread.</summary>
    public int ThreadId { get; }

    /// <summary>Starts delivering the events of <paramref name="fd"/> to <paramref name="socket"/>, under a new <see cref="EventSocket.Key"/>.</summary>
    public void Register(EventSocket socket, int fd)
    {
        ulong key;
        lock (_gate)
        {
            var slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : _usedSlots++;
            if (slot == _sockets.Length)
            {
                var larger = new EventSocket?[_sockets.Length * 2];
                Array.Copy(_sockets, larger, _sockets.Length);
                Volatile.Write(ref _sockets, larger);
            }

            key = ((ulong)++_generation << 32) | (uint)slot;
            socket.Key = key;
            Volatile.Write(ref _sockets[slot], socket);
        }

        try
        {
            Epoll.Add(_epoll, fd, key);
        }
        catch
        {
            Unregister(key, fd);
            throw;
        }
    }

    /// <summary>Stops delivering the events of the socket registered as <paramref name="key"/>.</summary>
    public void Unregister(ulong key, int fd)
    {
        Epoll.Remove(_epoll, fd);
        lock (_gate)
        {
            var slot = (int)(uint)key;
            if (_sockets[slot]?.Key == key)
            {
                _sockets[slot] = null;
                _freeSlots.Push(slot);
            }
        }
    }

    private void Run()
    {
        t_current = this;
        var events = (byte*)NativeMemory.Alloc((nuint)(MaxEvents * Epoll.EventSize));
        while (true)
        {
            var count = Epoll.Wait(_epoll, events, MaxEvents);

            // Read after the wait: a socket registered meanwhile was published before the kernel could report it.
            var sockets = Volatile.Read(ref _sockets);
            for (var i = 0; i < count; i++)
            {
                var key = Epoll.DataAt(events, i);
                var slot = (int)(uint)key;
                if (slot < sockets.Length && Volatile.Read(ref sockets[slot]) is { } socket && socket.Key == key)
                {
                    socket.OnEvents(Epoll.EventsAt(events, i));
                }
            }
        }
    }
}
