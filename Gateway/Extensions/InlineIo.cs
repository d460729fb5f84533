using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Evergreen.Gateway.Extensions;

/// <summary>
/// Runs the gateway as event loops: socket completions run on the socket event thread instead of being handed to the
/// thread pool, Kestrel processes a request on the thread that read it, and there is one event thread per two cores.
/// </summary>
/// <remarks>
/// A proxy does little work per request and waits on two sockets for each. With the thread pool every wait ends in a
/// hand-off: a wake-up, a context switch, and an idle worker spinning for the next item. On the benchmark's 2 cores,
/// shared with the load generator and both replicas, a profile of the gateway showed about 30 % of its CPU in those
/// hand-offs (<c>sched_yield</c> from the pool's spin-wait, and the scheduler's switch), and inline completion plus
/// inline processing on one event thread cut the gateway's CPU per request by a sixth to a quarter in alternating runs
/// (README, gateway benchmark). Safe only because nothing on the gateway's request path blocks a thread: a blocking call
/// would stall every connection of its event loop.
/// <para>
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> turns all of it off; <c>DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT</c>
/// sets the number of event threads. Both are the runtime's own switches, read once per process.
/// </para>
/// </remarks>
internal static class InlineIo
{
    private const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
    private const string ThreadCountVariable = "DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT";

    /// <summary>True unless the environment turned inline completions off.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(InlineVariable) is null or "1";

    /// <summary>One event thread per two cores, at least one.</summary>
    public static int DefaultEventThreads => Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>
    /// Sets the runtime's switches for this process unless the environment already decided. Must run before the first
    /// socket is created: the runtime reads them once.
    /// </summary>
    public static void EnableUnlessDisabled()
    {
        if (!Enabled)
        {
            return;
        }

        Environment.SetEnvironmentVariable(InlineVariable, "1");
        if (Environment.GetEnvironmentVariable(ThreadCountVariable) is null)
        {
            Environment.SetEnvironmentVariable(ThreadCountVariable, DefaultEventThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Lets Kestrel run a request on the thread that completed its read instead of queueing it to the thread pool. With
    /// inline completions that thread is the event thread; in a process without them (the tests host the gateway beside
    /// their destinations) it is the pool thread that completed the read, which is still one hand-off fewer.
    /// </summary>
    public static void UseInlineScheduling(IServiceCollection services)
    {
        if (Enabled)
        {
            services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        }
    }
}
