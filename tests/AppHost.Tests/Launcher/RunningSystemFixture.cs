namespace Evergreen.AppHost.Tests.Launcher;

/// <summary>The whole system, booted once for the tests that only observe or restart single resources.</summary>
public sealed class RunningSystemFixture : IAsyncLifetime
{
    private AppHostInstance? _instance;

    internal AppHostInstance Instance => _instance ?? throw new InvalidOperationException("Not started.");

    public async ValueTask InitializeAsync() => _instance = await AppHostInstance.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (_instance is not null)
        {
            await _instance.DisposeAsync();
        }
    }
}
