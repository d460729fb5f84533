using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Testing;

namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>One booted copy of the real app model on random ports with its own temporary data folder.</summary>
internal sealed class AppHostInstance : IAsyncDisposable
{
    private AppHostInstance(DistributedApplication application, string dataFolder)
    {
        Application = application;
        DataFolder = dataFolder;
    }

    public DistributedApplication Application { get; }

    public string DataFolder { get; }

    /// <summary>Builds the model from the AppHost's own entry point; <paramref name="start"/> also starts it and waits until all is healthy.</summary>
    public static async Task<AppHostInstance> CreateAsync(bool start = true, string? dataFolder = null, params string[] extraArguments)
    {
        // World-traversable so the postgres OS user can reach its cluster inside it when tests run as root.
        dataFolder ??= Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "evergreen-apphost-" + Guid.NewGuid().ToString("N")[..12])).FullName;
        var application = await DistributedApplicationTestingBuilder.CreateAsync<Program>(
            ["--AppHost:RandomPorts=true", $"--AppHost:DataFolder={dataFolder}", "--AppHost:DefaultGracePeriod=00:00:10", .. extraArguments]);
        var instance = new AppHostInstance(application, dataFolder);
        if (start)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await application.StartAsync(timeout.Token);
        }

        return instance;
    }

    public HttpClient CreateControlClient(bool withToken = true)
    {
        var client = new HttpClient { BaseAddress = Application.DashboardUrl, Timeout = TimeSpan.FromSeconds(60) };
        if (withToken)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", Application.AdminToken);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Application.DisposeAsync();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A folder left in /tmp is harmless; a failed clean-up must not hide the test's own result.
        }
    }
}
