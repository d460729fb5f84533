using Evergreen.ConfigStore.Plugins.Diagnostics;

namespace Evergreen.ConfigStore.Plugins.Paths;

/// <summary>
/// Checks every file of the tree, used by a plugin or not: a revision is stored and served whole, so an oversized file or a
/// link out of the repository is a problem wherever it sits.
/// </summary>
internal static class FileGuards
{
    public static void Check(RepositoryTree tree, PluginLoadOptions options, DiagnosticBag diagnostics)
    {
        foreach (var file in tree.Files)
        {
            if (file.Content.Length > options.MaxFileBytes)
            {
                diagnostics.Error(
                    DiagnosticCodes.FileTooLarge,
                    $"The file is {file.Content.Length:N0} bytes; the limit is {options.MaxFileBytes:N0}. Move large assets out of the plugin repository.",
                    file.Path);
            }

            if (file.IsSymbolicLink)
            {
                var target = RepositoryReader.LinkTargetOf(file);
                if (RepositoryPath.IsAbsolute(target) || RepositoryPath.Resolve(RepositoryPath.Parent(file.Path), target) is null)
                {
                    diagnostics.Error(
                        DiagnosticCodes.PathEscapesRepository,
                        $"The symbolic link points to '{target}', outside the repository. Replace it with the file itself or a link inside the repository.",
                        file.Path);
                }
            }
        }
    }
}
