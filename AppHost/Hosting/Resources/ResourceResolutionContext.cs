using Microsoft.Extensions.Configuration;

namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>What a resource may read while the model is resolved: options, configuration and a port allocator.</summary>
public sealed class ResourceResolutionContext(AppHostOptions options, IConfiguration configuration, string dataFolder, string repositoryRoot)
{
    private readonly HashSet<int> _allocated = [];

    /// <summary>The launcher's options.</summary>
    public AppHostOptions Options { get; } = options;

    /// <summary>The launcher's configuration (command line, environment, appsettings).</summary>
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Absolute path of the data folder.</summary>
    public string DataFolder { get; } = dataFolder;

    /// <summary>Absolute path of the repository the launcher was built from (for seeds such as <c>samples/plugins</c>).</summary>
    public string RepositoryRoot { get; } = repositoryRoot;

    /// <summary>
    /// The port for <paramref name="resourceName"/>: <c>Ports:&lt;name&gt;</c> from configuration when set, a free port
    /// when <see cref="AppHostOptions.RandomPorts"/> is on (held for the resource until its pre-start port check, see
    /// <see cref="Network.PortAvailability.ReserveFreePort"/>), otherwise <paramref name="defaultPort"/>.
    /// </summary>
    public int AllocatePort(string resourceName, int defaultPort)
    {
        var configured = Configuration[$"Ports:{resourceName}"];
        if (configured is not null)
        {
            return int.TryParse(configured, out var port) && port is > 0 and < 65536
                ? port
                : throw new HostingException($"Ports:{resourceName} is '{configured}', which is not a port. Give a number between 1 and 65535, e.g. --Ports:{resourceName}={defaultPort}.");
        }

        if (!Options.RandomPorts)
        {
            return defaultPort;
        }

        int free;
        do
        {
            free = Network.PortAvailability.ReserveFreePort();
        }
        while (!_allocated.Add(free));
        return free;
    }
}
