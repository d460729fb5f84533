using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Evergreen.ServiceDefaults.Hosting;

/// <summary>Who this process is, as telemetry resources and <c>/health/info</c> report it.</summary>
internal sealed record ServiceIdentity
{
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";
    public const string ReplicaKey = "Evergreen:Replica";

    public required string Name { get; init; }

    public required string Version { get; init; }

    public string? Replica { get; init; }

    public static ServiceIdentity From(IConfiguration configuration, IHostEnvironment environment)
    {
        var name = configuration[ServiceNameKey];
        return new ServiceIdentity
        {
            Name = string.IsNullOrWhiteSpace(name) ? environment.ApplicationName : name,
            Version = ReadVersion(environment.ApplicationName),
            Replica = string.IsNullOrWhiteSpace(configuration[ReplicaKey]) ? null : configuration[ReplicaKey],
        };
    }

    private static string ReadVersion(string applicationName)
    {
        var assembly = TryLoad(applicationName) ?? Assembly.GetEntryAssembly();
        return assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly?.GetName().Version?.ToString()
            ?? "unknown";
    }

    private static Assembly? TryLoad(string applicationName)
    {
        try
        {
            return string.IsNullOrEmpty(applicationName) ? null : Assembly.Load(new AssemblyName(applicationName));
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
