namespace Evergreen.Testing;

/// <summary>The root of the source tree the tests were built from (the folder holding <c>Aspire.sln</c>).</summary>
public static class RepositoryRoot
{
    /// <summary>Absolute path of the repository root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Aspire.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Aspire.sln above {AppContext.BaseDirectory}: tests must run from a build inside the repository.");
    }
}
