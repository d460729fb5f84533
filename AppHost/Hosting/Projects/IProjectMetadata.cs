namespace Evergreen.AppHost.Hosting.Projects;

/// <summary>
/// Where a service project's built assembly is. The build generates one type per referenced service in the
/// <c>Projects</c> namespace (as Aspire does), so the model names projects by type, not by path.
/// </summary>
public interface IProjectMetadata
{
    /// <summary>The project's name, e.g. <c>ConfigStore</c>.</summary>
    string ProjectName { get; }

    /// <summary>Absolute path of the service's main assembly in its own output folder.</summary>
    string AssemblyPath { get; }
}
