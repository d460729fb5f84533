using System.Net;
using System.Net.Sockets;

namespace Evergreen.Bench.RawProxy;

/// <summary>
/// What a reverse proxy costs on .NET's sockets alone: no Kestrel, no pipes, no HttpContext, no thread-pool hop — each
/// connection is one async loop whose socket completions run inline on the socket event thread, as an nginx worker runs
/// its event loop. The benchmark measures it next to the gateway to separate what .NET costs from what ASP.NET Core's
/// server stack costs (README, gateway benchmark).
/// </summary>
/// <remarks>
/// NOT a product: it understands only the benchmark's traffic — requests without a body, responses with a
/// <c>Content-Length</c> or chunked body that fits one buffer — and closes the connection on anything else. It validates
/// nothing a real proxy must (request smuggling, header limits, time-outs). Usage:
/// <c>RawProxy --port 7000 --backends http://127.0.0.1:7101,http://127.0.0.1:7102</c> (70/30 between the two).
/// </remarks>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        // Read by the runtime when the first socket is created.
        Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");
        var port = int.Parse(Argument(args, "--port"));
        var backends = Argument(args, "--backends").Split(',').Select(address => new BackendPool(new Uri(address))).ToArray();

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        var counter = 0;
        while (true)
        {
            var client = await listener.AcceptAsync();
            client.NoDelay = true;
            var session = new ClientSession(client, () => backends[Interlocked.Increment(ref counter) % 10 < 7 ? 0 : backends.Length - 1]);
            _ = session.RunAsync();
        }
    }

    private static string Argument(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length
            ? args[index + 1]
            : throw new ArgumentException($"Pass {name} (usage: RawProxy --port 7000 --backends http://127.0.0.1:7101,http://127.0.0.1:7102).");
    }
}
