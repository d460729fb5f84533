using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Evergreen.AppHost.Hosting.Network;
using Xunit;

namespace Evergreen.AppHost.Tests.Hosting;

/// <summary>
/// Random ports are held for their resource from the moment the model is resolved until the resource checks its port
/// just before starting: in between, nothing else on the machine can take them.
/// </summary>
public sealed class PortAvailabilityTests
{
    private const int AddressInUse = 98; // EADDRINUSE

    [Fact]
    public void ReserveFreePort_UntilTheResourceChecksIt_AProgramBindingWithoutReuseCannotTakeIt()
    {
        var port = PortAvailability.ReserveFreePort();
        try
        {
            Assert.Equal(AddressInUse, PlainProgram.TryBindLoopback(port));
        }
        finally
        {
            PortAvailability.Release(port);
        }
    }

    [Fact]
    public void ReserveFreePort_TheResourcesOwnCheckLetsGoSoItsServerCanListen()
    {
        var port = PortAvailability.ReserveFreePort();

        PortAvailability.EnsureFree(port, "redis", "--Ports:redis=<port>");

        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        server.Bind(new IPEndPoint(IPAddress.Loopback, port));
        server.Listen();
        Assert.False(PortAvailability.IsFree(port), "the server listens on the port now");
    }

    [Fact]
    public void Release_APortHeldForAResourceThatNeverStarted_FreesIt()
    {
        var port = PortAvailability.ReserveFreePort();

        PortAvailability.Release(port);

        using var other = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        other.Bind(new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>
    /// A program that binds a port without asking to reuse it, through libc: the runtime's own sockets always ask on
    /// Linux, and a socket that asks may share a port with another that did.
    /// </summary>
    private static class PlainProgram
    {
        /// <summary>0 when 127.0.0.1:<paramref name="port"/> could be bound, else the error number.</summary>
        public static int TryBindLoopback(int port)
        {
            var fd = socket(2, 1, 0); // AF_INET, SOCK_STREAM
            Assert.True(fd >= 0, "socket() failed");
            try
            {
                // struct sockaddr_in: family (host order), port and address (network order), padding.
                byte[] address = [2, 0, (byte)(port >> 8), (byte)port, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
                return bind(fd, address, address.Length) == 0 ? 0 : Marshal.GetLastPInvokeError();
            }
            finally
            {
                close(fd);
            }
        }

        // DllImport, not LibraryImport: the generated marshalling needs unsafe code, which this test project does not allow.
        [DllImport("libc", SetLastError = true)]
        private static extern int socket(int domain, int type, int protocol);

        [DllImport("libc", SetLastError = true)]
        private static extern int bind(int fd, byte[] address, int length);

        [DllImport("libc")]
        private static extern int close(int fd);
    }
}
