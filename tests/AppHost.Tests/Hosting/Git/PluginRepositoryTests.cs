using Evergreen.AppHost.Hosting;
using Evergreen.AppHost.Hosting.Git;
using Evergreen.Testing;

namespace Evergreen.AppHost.Tests.Hosting.Git;

public sealed class PluginRepositoryTests : IDisposable
{
    private static readonly string Seed = Path.Combine(RepositoryRoot.Path, "samples", "plugins");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"prtest-{Guid.NewGuid():N}");
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public PluginRepositoryTests() => Directory.CreateDirectory(_dir);
    public void Dispose() => Directory.Delete(_dir, true);

    private string RepoPath => Path.Combine(_dir, "data", "plugins.git");

    [Fact]
    public async Task EnsureSeeded_MissingRepository_SeedsEveryFileInOneCommit()
    {
        var info = await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct);

        Assert.True(info.Seeded);
        Assert.Equal(RepoPath, info.Path);
        Assert.Matches("^[0-9a-f]{40}$", info.HeadCommit);
        var files = (await Git("ls-tree", "-r", "--name-only", "main")).Split('\n');
        var expected = Directory.EnumerateFiles(Seed, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(f => Path.GetRelativePath(Seed, f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, files.Order(StringComparer.Ordinal).ToArray());
        Assert.Contains(".claude-plugin/marketplace.json", files);
        Assert.Contains("plugins/release-notes/.mcp.json", files);
        Assert.Equal("Seed plugins from samples/plugins|Evergreen AppHost <apphost@evergreen.local>|Evergreen AppHost|0",
            await Git("log", "-1", "--format=%s|%an <%ae>|%cn|%P", "main") + "0");
        Assert.Equal("refs/heads/main", await Git("symbolic-ref", "HEAD"));
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(RepoPath)!));
        Assert.Equal(info.HeadCommit, await PluginRepository.GetHeadAsync(RepoPath, "main", Ct));
    }

    [Fact]
    public async Task EnsureSeeded_ExistingRepository_LeavesItUnchanged()
    {
        await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct);
        await using var clone = await TempGitRepository.CreateAsync(ct: Ct);
        await clone.GitAsync(["fetch", "--quiet", RepoPath, "main"], Ct);
        await clone.GitAsync(["reset", "--quiet", "--hard", "FETCH_HEAD"], Ct);
        var sha = await clone.WriteFile("plugins/new/agents/a.md", "---\nname: a\n---\nhi\n").CommitAsync("Add a", "Jane <jane@x>", Ct);
        await clone.PushAsync(RepoPath, "main", ct: Ct);

        var again = await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct);

        Assert.False(again.Seeded);
        Assert.Equal(sha, again.HeadCommit);
    }

    [Fact]
    public async Task EnsureSeeded_DirectoryThatIsNotARepository_ThrowsNamingTheFix()
    {
        Directory.CreateDirectory(RepoPath);
        File.WriteAllText(Path.Combine(RepoPath, "notes.txt"), "x");
        var ex = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct));
        Assert.Contains("not a bare git repository", ex.Message);
        Assert.Contains("delete it", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
        Assert.True(File.Exists(Path.Combine(RepoPath, "notes.txt")));
    }

    [Fact]
    public async Task EnsureSeeded_PathIsAFileOrAWorkTree_ThrowsHostingException()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(RepoPath)!);
        File.WriteAllText(RepoPath, "x");
        var onFile = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct));
        Assert.Contains(RepoPath, onFile.Message);
        File.Delete(RepoPath);
        await using var work = await TempGitRepository.CreateAsync(ct: Ct);
        await work.WriteFile("a", "a").CommitAsync("a", ct: Ct);
        var onWorkTree = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(work.Path, Seed, "main", Ct));
        Assert.Contains(work.Path, onWorkTree.Message);
    }

    [Fact]
    public async Task EnsureSeeded_BareRepositoryWithoutBranch_ThrowsNamingTheBranch()
    {
        await using var bare = await TempGitRepository.CreateAsync(bare: true, ct: Ct);
        var ex = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(bare.Path, Seed, "main", Ct));
        Assert.Contains("no branch 'main'", ex.Message);
    }

    [Fact]
    public async Task EnsureSeeded_EmptyDirectoryAndOtherBranch_Seeds()
    {
        Directory.CreateDirectory(RepoPath);
        var info = await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "release/v1", Ct);
        Assert.True(info.Seeded);
        Assert.Equal("refs/heads/release/v1", await Git("symbolic-ref", "HEAD"));
    }

    [Fact]
    public async Task EnsureSeeded_ConcurrentCalls_SeedExactlyOnce()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct))));
        Assert.Single(results, r => r.Seeded);
        Assert.Single(results.Select(r => r.HeadCommit).Distinct());
        Assert.Single(Directory.GetFileSystemEntries(Path.GetDirectoryName(RepoPath)!));
    }

    [Fact]
    public async Task EnsureSeeded_Cancelled_LeavesNothingBehind()
    {
        for (var delay = 0; delay < 60; delay += 5)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(delay));
            try
            {
                await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", cts.Token);
                Assert.NotNull(await PluginRepository.GetHeadAsync(RepoPath, "main", Ct));
                Directory.Delete(RepoPath, true);
            }
            catch (OperationCanceledException)
            {
                Assert.False(Directory.Exists(RepoPath));
            }
            Assert.Empty(Directory.Exists(Path.GetDirectoryName(RepoPath)) ? Directory.GetFileSystemEntries(Path.GetDirectoryName(RepoPath)!) : []);
        }
    }

    [Fact]
    public async Task EnsureSeeded_SeedFolderWithGitDirectory_SkipsIt()
    {
        await using var seed = await TempGitRepository.CreateAsync(ct: Ct);
        await seed.WriteFile("agents/x.md", "x").CommitAsync("x", ct: Ct);
        await PluginRepository.EnsureSeededAsync(RepoPath, seed.Path, "main", Ct);
        Assert.Equal("agents/x.md", await Git("ls-tree", "-r", "--name-only", "main"));
    }

    [Fact]
    public async Task EnsureSeeded_MissingSeedOrBadBranch_Throws()
    {
        var noSeed = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(RepoPath, "/nope", "main", Ct));
        Assert.Contains("/nope", noSeed.Message);
        var badBranch = await Assert.ThrowsAsync<ArgumentException>(() => PluginRepository.EnsureSeededAsync(RepoPath, Seed, "bad..name", Ct));
        Assert.Contains("bad..name", badBranch.Message);
        Assert.False(Directory.Exists(RepoPath));
    }

    [Fact]
    public async Task GetHead_MissingRepositoryOrBranch_ReturnsNull()
    {
        Assert.Null(await PluginRepository.GetHeadAsync(RepoPath, "main", Ct));
        await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct);
        Assert.Null(await PluginRepository.GetHeadAsync(RepoPath, "dev", Ct));
    }

    [Fact]
    public async Task GitCommand_GitNotOnPath_ThrowsInstallHint()
    {
        var path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", "/nonexistent");
        try
        {
            var ex = await Assert.ThrowsAsync<HostingException>(() => PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct));
            Assert.Equal(GitCommand.GitNotFoundMessage, ex.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }

    [Fact]
    public async Task GitCommand_InheritedGitDirAndIdentity_AreIgnored()
    {
        Environment.SetEnvironmentVariable("GIT_DIR", "/nonexistent");
        Environment.SetEnvironmentVariable("GIT_AUTHOR_NAME", "Mallory");
        try
        {
            await PluginRepository.EnsureSeededAsync(RepoPath, Seed, "main", Ct);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GIT_DIR", null);
            Environment.SetEnvironmentVariable("GIT_AUTHOR_NAME", null);
        }
        Assert.Equal("Evergreen AppHost", await Git("log", "-1", "--format=%an", "main"));
    }

    [Fact]
    public async Task GitCommand_Cancelled_KillsGit()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        // `git hash-object --stdin` would read forever from an open stdin; ours is closed, so use a slow command instead.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => GitCommand.RunAsync(null, ["-c", "alias.slow=!sleep 30", "slow"], cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    private Task<string> Git(params string[] args) => GitCommand.RunCheckedAsync(null, [$"--git-dir={RepoPath}", .. args], Ct);
}

public sealed class TempGitRepositoryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FullWorkflow_CommitBranchPushDelete_Works()
    {
        string root;
        await using (var repo = await TempGitRepository.CreateAsync(ct: Ct))
        {
            root = Path.GetDirectoryName(repo.Path)!;
            var first = await repo.WriteFile("a/b.md", "héllo\n").CommitAsync("first", ct: Ct);
            Assert.Matches("^[0-9a-f]{40}$", first);
            var remote = await repo.CreateBareRemoteAsync(ct: Ct);
            await repo.PushAsync(ct: Ct);
            Assert.Equal(first, await remote.GitAsync(["rev-parse", "refs/heads/main"], Ct));

            await repo.CreateBranchAsync("feature", ct: Ct);
            var second = await repo.DeleteFile("a/b.md").WriteFile("c.md", "c").CommitAsync("second", "Jane Doe <jane@example.com>", Ct);
            await repo.PushAsync(ct: Ct);
            Assert.Equal(second, await remote.GitAsync(["rev-parse", "refs/heads/feature"], Ct));
            Assert.Equal("Jane Doe <jane@example.com>", await remote.GitAsync(["log", "-1", "--format=%an <%ae>", "feature"], Ct));
            Assert.Equal("c.md", await remote.GitAsync(["ls-tree", "-r", "--name-only", "feature"], Ct));
            await repo.CheckoutAsync("main", Ct);
            Assert.True(File.Exists(Path.Combine(repo.Path, "a", "b.md")));
            Assert.Equal("héllo\n", File.ReadAllText(Path.Combine(repo.Path, "a", "b.md")));

            Assert.Throws<ArgumentException>(() => repo.WriteFile("../escape.md", "x"));
            Assert.Throws<InvalidOperationException>(() => remote.WriteFile("x", "x"));
            await Assert.ThrowsAsync<HostingException>(() => repo.CommitAsync("nothing", ct: Ct));
            Assert.Throws<FileNotFoundException>(() => repo.DeleteFile("nope"));
        }
        Assert.False(Directory.Exists(root));
    }

    [Fact]
    public async Task CreateAsync_Bare_IsBareOnMain()
    {
        await using var bare = await TempGitRepository.CreateAsync(bare: true, ct: Ct);
        Assert.True(bare.IsBare);
        Assert.Equal("true", await bare.GitAsync(["rev-parse", "--is-bare-repository"], Ct));
        Assert.Equal("refs/heads/main", await bare.GitAsync(["symbolic-ref", "HEAD"], Ct));
        await bare.DisposeAsync();
        await bare.DisposeAsync();
        Assert.False(Directory.Exists(bare.Path));
    }
}
