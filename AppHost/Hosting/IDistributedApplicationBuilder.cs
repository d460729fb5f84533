using Evergreen.AppHost.Hosting.Resources;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AppHost.Hosting;

/// <summary>
/// Describes the app model before it runs, in Aspire's shape: <c>Add*</c> methods add resources and return builders
/// that <c>WithReference</c>, <c>WaitFor</c> and friends configure. Not thread-safe; build the model on one thread.
/// </summary>
public interface IDistributedApplicationBuilder
{
    /// <summary>Command line, environment and <c>appsettings.json</c> of the launcher.</summary>
    IConfigurationManager Configuration { get; }

    /// <summary>The launcher options (section <c>AppHost</c>).</summary>
    AppHostOptions Options { get; }

    /// <summary>Absolute path of the data folder; created by <see cref="Build"/>.</summary>
    string DataFolder { get; }

    /// <summary>Absolute path of the repository the launcher was built from.</summary>
    string RepositoryRoot { get; }

    /// <summary>The admin token every service shares; available once <see cref="Build"/> has run.</summary>
    string AdminToken { get; }

    /// <summary>
    /// The OTLP endpoint given to services (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): <c>AppHost:OtlpEndpoint</c> when configured
    /// (an empty value exports nothing), otherwise the launcher's own receiver, whose port is known once <see cref="Build"/> has run.
    /// </summary>
    string? OtlpEndpoint { get; }

    /// <summary>The dashboard and control API base URL; available once <see cref="Build"/> has run.</summary>
    Uri ControlApiUrl { get; }

    /// <summary>The resources added so far, in order.</summary>
    IReadOnlyList<Resource> Resources { get; }

    /// <summary>Adds a resource; names must be unique.</summary>
    IResourceBuilder<T> AddResource<T>(T resource) where T : Resource;

    /// <summary>Resolves ports, folders and the admin token and returns the application, ready to run.</summary>
    DistributedApplication Build();
}
