namespace Evergreen.AppHost.Hosting.Resources;

/// <summary>A resource whose process receives environment variables computed when it starts.</summary>
public interface IResourceWithEnvironment
{
    /// <summary>Adds a callback that writes variables; callbacks run in order at every start, after ports are known.</summary>
    void AddEnvironmentCallback(Action<IDictionary<string, string?>> callback);
}
