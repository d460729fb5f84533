using System.Text;
using System.Text.Json;
using Evergreen.ConfigStore.Git;
using Evergreen.ConfigStore.Revisions;
using Evergreen.Contracts.Proposals;
using Evergreen.Contracts.Snapshots;
using Microsoft.Extensions.Options;

namespace Evergreen.ConfigStore.Proposals;

/// <summary>
/// Turns a <see cref="ProposalRequest"/> into a pending proposal. Checks, in this order, answering with the first
/// failure: the agent exists in the latest valid revision (404); every path stays in its plugin folder (403); sizes
/// (413); the agent's hourly limit (429); the repository still validates with the change (422). Then commits on a new
/// branch on top of the tracked head, pushes the branch, and records the proposal with its audit row. A branch is
/// pushed only after every check passed, and deleted again when the row cannot be written: no branch without a row,
/// no row without a branch.
/// </summary>
internal sealed class ProposalService(
    ProposalStore store,
    RevisionStore revisions,
    ProposalWorkspace workspace,
    IOptionsMonitor<ProposalOptions> options,
    TimeProvider time,
    ILogger<ProposalService> logger)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    public async Task<(ProposalSummary? Created, ProposalProblem? Problem)> CreateAsync(
        ProposalRequest request, string submittedBy, CancellationToken cancellationToken)
    {
        var (plugin, agent, plugins, notFound) = await FindAgentAsync(request.Agent, cancellationToken);
        if (notFound is not null)
        {
            return (null, notFound);
        }

        var files = new List<(string Path, ProposedFile File)>();
        foreach (var file in request.Files)
        {
            var (path, forbidden) = ProposalPathGuard.Normalize(file.Path, plugin!, plugins);
            if (forbidden is not null)
            {
                return (null, forbidden);
            }

            if (files.Any(f => f.Path == path))
            {
                return (null, new ProposalProblem(StatusCodes.Status400BadRequest, "The proposal names a file twice.",
                    $"files: '{file.Path}' is '{path}' again; give each file once."));
            }

            files.Add((path!, file));
        }

        return await workspace.RunAsync(
            repository => CommitAsync(repository, request, submittedBy, plugin!, agent!, files, cancellationToken), cancellationToken);
    }

    private async Task<(ProposalSummary?, ProposalProblem?)> CommitAsync(
        WorkRepository repository, ProposalRequest request, string submittedBy, PluginDefinition plugin, AgentDefinition agent,
        IReadOnlyList<(string Path, ProposedFile File)> files, CancellationToken cancellationToken)
    {
        var head = repository.FetchTracked();
        if (head is null)
        {
            return (null, new ProposalProblem(StatusCodes.Status409Conflict, "The tracked branch does not exist.",
                "The plugin repository has no tracked branch to propose a change on; push it first."));
        }

        var tree = GitCommitReader.ReadTree(head);
        if (files.Select(f => ProposalPathGuard.CheckSymbolicLinks(f.Path, tree)).FirstOrDefault(static p => p is not null) is { } link)
        {
            return (null, link);
        }

        if (CheckSizes(files, options.CurrentValue) is { } tooLarge)
        {
            return (null, tooLarge);
        }

        var now = time.GetUtcNow();
        if (await CheckRateAsync(plugin, agent, now, cancellationToken) is { } tooMany)
        {
            return (null, tooMany);
        }

        var (changes, invalid) = ProposalChangeSet.Apply(tree, files);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var id = Guid.CreateVersion7(now).ToString("N");
        var branch = await NewBranchNameAsync(plugin.Name, agent.Name, now, cancellationToken);
        var commit = repository.CreateCommit(head, changes, Message(id, agent, request), agent.QualifiedName,
            $"{BranchNames.Sanitize(plugin.Name)}.{BranchNames.Sanitize(agent.Name)}@agents.evergreen.local", now);
        var diff = await GitCli.DiffAsync(repository.GitDirectory, head.Sha, commit.Sha, cancellationToken);
        if (repository.Push(branch, commit) is { } rejected)
        {
            repository.DeleteLocalBranch(branch);
            return (null, new ProposalProblem(StatusCodes.Status502BadGateway, "The proposal's branch could not be pushed.",
                $"The plugin repository refused branch '{branch}': {rejected}"));
        }

        var proposal = new ProposalSummary
        {
            Id = id,
            Agent = agent.QualifiedName,
            Branch = branch,
            Status = ProposalStatus.Pending,
            CommitId = commit.Sha,
            BaseRevisionId = head.Sha,
            Paths = [.. changes.Select(static c => c.Path)],
            Rationale = request.Rationale,
            RunId = request.RunId,
            CreatedAt = now,
            SubmittedBy = submittedBy,
        };
        try
        {
            // Not cancellable: the branch is pushed, and a row must follow it (or the branch must go).
            await store.InsertAsync(proposal, plugin.Name, diff, CancellationToken.None);
        }
        catch (Exception ex)
        {
            var cleanup = repository.DeleteRemoteBranch(branch);
            Log.ProposalNotRecorded(logger, branch, cleanup ?? "deleted", ex);
            throw;
        }

        Log.ProposalCreated(logger, id, agent.QualifiedName, branch);
        return (proposal, null);
    }

    private async Task<(PluginDefinition?, AgentDefinition?, IReadOnlyList<PluginDefinition>, ProposalProblem?)> FindAgentAsync(
        string name, CancellationToken cancellationToken)
    {
        var latest = await revisions.GetLatestValidAsync(cancellationToken);
        var snapshot = latest is null ? null : await revisions.GetSnapshotAsync(latest.Id, cancellationToken);
        if (snapshot is not var (json, _))
        {
            return (null, null, [], NotFound($"agent: no valid revision is stored yet, so there is no agent '{name}'."));
        }

        var plugins = JsonSerializer.Deserialize<CatalogSnapshot>(json, RevisionFactory.Json)?.Plugins ?? [];
        var matches = plugins
            .SelectMany(static p => p.Agents.Select(a => (Plugin: p, Agent: a)))
            .Where(m => name.Contains(':', StringComparison.Ordinal) ? m.Agent.QualifiedName == name : m.Agent.Name == name)
            .ToList();
        return matches.Count switch
        {
            1 => (matches[0].Plugin, matches[0].Agent, plugins, null),
            0 => (null, null, plugins, NotFound($"agent: there is no agent '{name}' in the latest valid revision {latest!.Id[..12]}; use 'plugin:agent'.")),
            _ => (null, null, plugins, NotFound(
                $"agent: '{name}' is ambiguous in the latest valid revision; use one of {string.Join(", ", matches.Select(static m => m.Agent.QualifiedName))}.")),
        };
    }

    private static ProposalProblem? CheckSizes(IReadOnlyList<(string Path, ProposedFile File)> files, ProposalOptions limits)
    {
        long total = 0;
        foreach (var (path, file) in files)
        {
            var size = file.Content is null ? 0 : Encoding.UTF8.GetByteCount(file.Content);
            if (size > limits.MaxFileBytes)
            {
                return TooLarge($"files: '{path}' is {size} bytes; a file may have at most {limits.MaxFileBytes} bytes.");
            }

            total += size;
        }

        return total > limits.MaxTotalBytes
            ? TooLarge($"files: the proposal holds {total} bytes; a proposal may hold at most {limits.MaxTotalBytes} bytes. Split it.")
            : null;
    }

    private async Task<ProposalProblem?> CheckRateAsync(PluginDefinition plugin, AgentDefinition agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var limit = options.CurrentValue.MaxPerHourFor(plugin.Name, agent.Name);
        var (count, oldest) = await store.CountSinceAsync(agent.QualifiedName, now - Window, cancellationToken);
        if (count < limit)
        {
            return null;
        }

        var retryAfter = oldest is { } first ? first + Window - now : Window;
        return new ProposalProblem(
            StatusCodes.Status429TooManyRequests,
            "The agent has made too many proposals.",
            $"agent: '{agent.QualifiedName}' made {count} proposal(s) in the last hour; its limit is {limit}. Try again in {Math.Ceiling(retryAfter.TotalSeconds)} s.",
            RetryAfter: retryAfter);
    }

    private async Task<string> NewBranchNameAsync(string plugin, string agent, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var name = BranchNames.ForProposal(plugin, agent, now);
        var candidate = name;
        for (var attempt = 2; await store.BranchExistsAsync(candidate, cancellationToken); attempt++)
        {
            candidate = $"{name}-{attempt}";
        }

        return candidate;
    }

    private static string Message(string id, AgentDefinition agent, ProposalRequest request)
    {
        var rationale = request.Rationale?.Trim();
        var subject = string.IsNullOrEmpty(rationale) ? "proposed change" : rationale.Split('\n', 2)[0].Trim();
        if (subject.Length > 72)
        {
            subject = subject[..69] + "...";
        }

        var message = new StringBuilder().Append(agent.QualifiedName).Append(": ").AppendLine(subject).AppendLine();
        if (!string.IsNullOrEmpty(rationale))
        {
            message.AppendLine(rationale).AppendLine();
        }

        message.Append("Proposal-Id: ").AppendLine(id).Append("Agent: ").AppendLine(agent.QualifiedName);
        if (!string.IsNullOrEmpty(request.RunId))
        {
            message.Append("Run-Id: ").AppendLine(request.RunId);
        }

        return message.ToString();
    }

    private static ProposalProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "Unknown agent.", detail);

    private static ProposalProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "The proposal is too large.", detail);
}
