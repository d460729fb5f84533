using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Evergreen.ConfigStore.Tests.Revisions;
using Evergreen.Contracts.Proposals;
using Evergreen.Testing;

namespace Evergreen.ConfigStore.Tests.Proposals;

/// <summary>
/// A plugin repository with two plugins (<c>reviewer</c> with agent <c>checker</c>, and <c>writer</c> with agent
/// <c>scribe</c>; <c>reviewer/notes</c> is a symbolic link to <c>reviewer/docs</c>), pushed to a bare remote, and a
/// ConfigStore over a fresh database that has synced it.
/// </summary>
internal sealed class ProposalTestbed : IAsyncDisposable
{
    public const string Agent = "reviewer:checker";
    public const string AgentFile = "reviewer/agents/checker.md";
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly PostgresDatabase _database;

    private ProposalTestbed(PostgresDatabase database, PluginGitRepository repository, ConfigStoreHost host)
    {
        _database = database;
        Repository = repository;
        Host = host;
    }

    public PluginGitRepository Repository { get; }

    public ConfigStoreHost Host { get; }

    public static async Task<ProposalTestbed> StartAsync(
        PostgresServerFixture postgres, string redis, string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await postgres.CreateDatabaseAsync(name, TestContext.Current.CancellationToken);
        var repository = await PluginGitRepository.CreateAsync();
        repository.Clone.WriteFile("reviewer/docs/guide.md", "# Guide\n");
        File.CreateSymbolicLink(Path.Combine(repository.Clone.Path, "reviewer", "notes"), "docs");
        await repository.CommitAsync(
            "two plugins",
            ("reviewer/.claude-plugin/plugin.json", PluginGitRepository.Manifest("reviewer")),
            (AgentFile, PluginGitRepository.Agent("checker")),
            ("writer/.claude-plugin/plugin.json", PluginGitRepository.Manifest("writer")),
            ("writer/agents/scribe.md", PluginGitRepository.Agent("scribe")));
        await repository.PushAsync();
        var host = ConfigStoreHost.Start(database.ConnectionString, redis, repository.Url, repository.WorkFolder, settings: settings);
        await host.SyncAsync();
        return new ProposalTestbed(database, repository, host);
    }

    public static ProposalRequest Change(string path, string content, string agent = Agent) => new()
    {
        Agent = agent,
        Files = [new ProposedFile { Path = path, Content = content }],
        Rationale = "Be more specific about what to check.",
        RunId = "run-1",
    };

    public static string BetterChecker(string line = "You are a better checker.") =>
        $"---\nname: checker\ndescription: The checker agent.\n---\n\n{line}\n";

    /// <summary>Posts a proposal with the given bearer token (the runtime token by default; null for none).</summary>
    public async Task<HttpResponseMessage> ProposeAsync(ProposalRequest request, string? token = ConfigStoreHost.RuntimeToken)
    {
        using var client = Host.CreateAnonymousClient();
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await client.PostAsJsonAsync(new Uri("/api/proposals", UriKind.Relative), request, Json, TestContext.Current.CancellationToken).DefaultTimeout();
    }

    /// <summary>Posts a proposal that must be accepted, and returns it.</summary>
    public async Task<ProposalSummary> ProposeOkAsync(ProposalRequest request)
    {
        using var response = await ProposeAsync(request);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, body);
        return JsonSerializer.Deserialize<ProposalSummary>(body, Json)!;
    }

    public async Task<HttpResponseMessage> PostAdminAsync(string path, object? body = null) =>
        await Host.Client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, Json, TestContext.Current.CancellationToken).DefaultTimeout();

    /// <summary>The <c>improve/…</c> branches of the remote.</summary>
    public async Task<IReadOnlyList<string>> RemoteProposalBranchesAsync()
    {
        var refs = await Repository.Remote.GitAsync(["for-each-ref", "--format=%(refname)", "refs/heads/improve/"], TestContext.Current.CancellationToken);
        return refs.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public Task<string> RemoteHeadAsync(string branch = "main") =>
        Repository.Remote.GitAsync(["rev-parse", $"refs/heads/{branch}"], TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Repository.DisposeAsync();
        await _database.DisposeAsync();
    }
}
