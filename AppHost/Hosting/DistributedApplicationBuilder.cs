using Evergreen.AppHost.Hosting.Resources;
using Evergreen.AppHost.Telemetry;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AppHost.Hosting;

internal sealed class DistributedApplicationBuilder : IDistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];
    private string? _adminToken;
    private Uri? _controlApiUrl;

    public DistributedApplicationBuilder(string[] args, DistributedApplicationTestHook? testHook)
    {
        Configuration = new ConfigurationManager();
        Configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true);
        Configuration.AddEnvironmentVariables();
        Configuration.AddCommandLine([.. args, .. testHook?.Arguments ?? []]);
        TestHook = testHook;

        Options = Configuration.GetSection("AppHost").Get<AppHostOptions>() ?? new AppHostOptions();
        RepositoryRoot = global::Projects.EvergreenBuild.RepositoryRoot;
        DataFolder = Path.GetFullPath(Options.DataFolder ?? Path.Combine(RepositoryRoot, ".evergreen"));
        OtlpEndpoint = Configuration["AppHost:OtlpEndpoint"];
    }

    public IConfigurationManager Configuration { get; }

    public AppHostOptions Options { get; }

    public string DataFolder { get; }

    public string RepositoryRoot { get; }

    public string AdminToken => _adminToken ?? throw new InvalidOperationException("The admin token is resolved by Build(); read it from a callback that runs at start.");

    // Configured: services export to that collector (empty: nowhere). Unset: to the launcher's own receiver, once Build() has run.
    public string? OtlpEndpoint { get; private set; }

    public Uri ControlApiUrl => _controlApiUrl ?? throw new InvalidOperationException("The control API port is resolved by Build(); read it from a callback that runs at start.");

    public IReadOnlyList<Resource> Resources => _resources;

    internal DistributedApplicationTestHook? TestHook { get; }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => string.Equals(r.Name, resource.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new ArgumentException($"A resource named '{resource.Name}' is already in the model.", nameof(resource));
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(this, resource);
    }

    public DistributedApplication Build()
    {
        try
        {
            return BuildCore();
        }
        catch (HostingException ex) when (TestHook is null)
        {
            // A launcher's configuration mistake deserves one line with the fix, not a stack trace.
            Console.Error.WriteLine($"error: {ex.Message}");
            Environment.Exit(1);
            throw;
        }
    }

    private DistributedApplication BuildCore()
    {
        try
        {
            Directory.CreateDirectory(DataFolder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new HostingException($"The data folder '{DataFolder}' cannot be created ({ex.Message}). Choose another with --AppHost:DataFolder=<path>.", ex);
        }

        var (token, tokenFile) = AdminTokenStore.Resolve(Configuration["Evergreen:AdminToken"], DataFolder);
        _adminToken = token;

        var runnable = _resources.SelectMany(r => r.Runnables).ToList();
        var context = new ResourceResolutionContext(Options, Configuration, DataFolder, RepositoryRoot);
        foreach (var resource in runnable)
        {
            resource.Resolve(context);
        }

        var dashboardPort = context.AllocatePort("dashboard", Options.DashboardPort);
        _controlApiUrl = new Uri($"http://127.0.0.1:{dashboardPort}");
        int? otlpPort = null;
        if (Configuration["AppHost:OtlpEndpoint"] is null)
        {
            otlpPort = context.AllocatePort("otlp", OtlpReceiver.DefaultPort);
            OtlpEndpoint = $"http://127.0.0.1:{otlpPort}";
        }

        var application = new DistributedApplication(runnable, Options, DataFolder, token, tokenFile, dashboardPort, otlpPort, ownedByTestHost: TestHook is not null);
        TestHook?.Capture(application);
        return application;
    }
}
