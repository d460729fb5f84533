using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Evergreen.Gateway.Sockets;

/// <summary>Linux's epoll (epoll(7)), as the gateway's event loops use it: edge-triggered, every event a socket can report.</summary>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;
    public const uint Out = 0x004;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;
    public const uint ReadHangUp = 0x2000;
    private const uint EdgeTriggered = 1u << 31;

    private const int ControlAdd = 1;
    private const int ControlDelete = 2;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4; // EINTR

    /// <summary>
    /// <c>struct epoll_event</c> is packed on x86-64 (12 bytes, its data at offset 4) and naturally aligned on arm64 (16
    /// bytes, data at offset 8).
    /// </summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    public static bool IsSupported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public static int Create()
    {
        var epoll = epoll_create1(CloseOnExec);
        return epoll >= 0 ? epoll : throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_create1 failed.");
    }

    /// <summary>Watches <paramref name="fd"/> for reading and writing, edge-triggered; every event carries <paramref name="data"/>.</summary>
    public static void Add(int epoll, int fd, ulong data)
    {
        var ev = stackalloc byte[16];
        Unsafe.WriteUnaligned(ev, In | Out | ReadHangUp | EdgeTriggered);
        Unsafe.WriteUnaligned(ev + DataOffset, data);
        if (epoll_ctl(epoll, ControlAdd, fd, ev) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), "epoll_ctl(EPOLL_CTL_ADD) failed.");
        }
    }

    /// <summary>
    /// Stops watching <paramref name="fd"/>; a descriptor already closed has left the epoll set by itself. (Deleting takes
    /// no event: the kernel ignores it since Linux 2.6.9.)
    /// </summary>
    public static void Remove(int epoll, int fd) => _ = epoll_ctl(epoll, ControlDelete, fd, null);

    /// <summary>Waits for events without a time-out; the number of events written to <paramref name="events"/>.</summary>
    public static int Wait(int epoll, byte* events, int maxEvents)
    {
        while (true)
        {
            var count = epoll_wait(epoll, events, maxEvents, -1);
            if (count >= 0)
            {
                return count;
            }

            var error = Marshal.GetLastPInvokeError();
            if (error != Interrupted)
            {
                throw new Win32Exception(error, "epoll_wait failed.");
            }
        }
    }

    public static uint EventsAt(byte* events, int index) => Unsafe.ReadUnaligned<uint>(events + (index * EventSize));

    public static ulong DataAt(byte* events, int index) => Unsafe.ReadUnaligned<ulong>(events + (index * EventSize) + DataOffset);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_create1(int flags);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_ctl(int epoll, int operation, int fd, byte* ev);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int epoll_wait(int epoll, byte* events, int maxEvents, int timeout);
}
