namespace Evergreen.AppHost.Hosting.Projects;

/// <summary>Finds the <c>dotnet</c> host that runs the launcher, so services run on the same runtime.</summary>
internal static class DotNetHost
{
    public static string Path { get; } = Resolve();

    private static string Resolve()
    {
        var current = Environment.ProcessPath;
        if (current is not null && System.IO.Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        var candidate = root is null ? null : System.IO.Path.Combine(root, "dotnet");
        return candidate is not null && File.Exists(candidate) ? candidate : "dotnet";
    }
}
