using Evergreen.ConfigStore.Plugins;

namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class RepositoryTreeTests
{
    private static RepositoryFile File(string path) => new(path, "x"u8.ToArray());

    [Fact]
    public void Constructor_FilesInAnyOrder_SortsThemAndFindsFolders()
    {
        var tree = new RepositoryTree([File("b/z.md"), File("a.md"), File("b/a/deep.md"), File("ba.md")]);

        Assert.Equal(["a.md", "b/a/deep.md", "b/z.md", "ba.md"], tree.Files.Select(f => f.Path));
        Assert.Equal(["b/a/deep.md", "b/z.md"], tree.UnderFolder("b").ToArray().Select(f => f.Path));
        Assert.True(tree.IsFolder("b/a"));
        Assert.False(tree.IsFolder("b/z.md"));
        Assert.False(tree.IsFolder("c"));
        Assert.NotNull(tree.Find("ba.md"));
        Assert.Null(tree.Find("b"));
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("a/../b.md")]
    [InlineData("./a.md")]
    [InlineData("a//b.md")]
    [InlineData("")]
    public void Constructor_MalformedPath_Throws(string path) =>
        Assert.Throws<ArgumentException>(() => new RepositoryTree([File(path)]));

    [Fact]
    public void Constructor_SamePathTwice_Throws() =>
        Assert.Throws<ArgumentException>(() => new RepositoryTree([File("a.md"), File("a.md")]));

    [Fact]
    public void Constructor_BackslashInFileName_IsAllowedAsGitAllowsIt() =>
        Assert.NotNull(new RepositoryTree([File(@"docs/odd\name.md")]).Find(@"docs/odd\name.md"));
}
