namespace Evergreen.Gateway.Sockets;

/// <summary>
/// The process's event loops, one per core (as many as the runtime's socket event threads when it completes inline), started
/// on first use. <c>EVERGREEN_EVENT_LOOPS=0</c> turns them off: every <see cref="EventSocket"/> then uses the runtime's
/// socket engine.
/// </summary>
/// <remarks>
/// Why loops of our own: the runtime's engine tries every receive at once and waits for the socket only after the kernel
/// answered "nothing yet". A proxy's receives almost always wait — the destination has not answered the request just sent,
/// the client has not sent its next request — so that costs a system call per wait, two per request: the gateway made 3.9
/// <c>recvfrom</c> calls per request where nginx makes 1.9, and a system call costs about 1 µs on the benchmark's machine
/// (README, gateway benchmark). Like nginx, an <see cref="EventSocket"/> remembers whether its last receive emptied the
/// socket and then waits for the kernel's next event before receiving.
/// </remarks>
internal static class EventLoops
{
    private const string Variable = "EVERGREEN_EVENT_LOOPS";

    private static readonly Lazy<EventLoop[]> Loops = new(
        () => Enumerable.Range(0, Math.Max(1, Environment.ProcessorCount)).Select(i => new EventLoop(i)).ToArray());

    private static int _next;

    public static bool Enabled { get; } = Epoll.IsSupported && Environment.GetEnvironmentVariable(Variable) != "0";

    /// <summary>
    /// The loop for a new socket: the caller's own when it runs on one (a destination connection opened for a client's
    /// request stays on that request's thread, as in an nginx worker), else the next in turn; null when the loops are off.
    /// </summary>
    public static EventLoop? ForNewSocket() => Enabled ? EventLoop.Current ?? Next() : null;

    /// <summary>The next loop in turn (accepted connections are spread over the loops); null when the loops are off.</summary>
    public static EventLoop? Next()
    {
        if (!Enabled)
        {
            return null;
        }

        var loops = Loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)loops.Length)];
    }
}
