using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Evergreen.AppHost.Hosting.Network;
using Evergreen.Contracts.Revisions;
using Evergreen.Testing;
using StackExchange.Redis;

namespace Evergreen.Bench.ConfigStore;

/// <summary>
/// Real PostgreSQL, Redis and ConfigStore (its Release build, as a process); a generated plugin repository. Measures the
/// first import of a large commit and incremental one-file commits, from the sync request to the event on Redis.
/// </summary>
internal static class SyncBenchmark
{
    private const string AdminToken = "bench-admin-token";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<string> RunAsync(string configStoreDll, int pluginCount, int increments)
    {
        await using var postgres = new PostgresServerFixture();
        await postgres.InitializeAsync();
        await using var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        await using var database = await postgres.CreateDatabaseAsync("bench");
        await using var repository = await TempGitRepository.CreateAsync();
        await using var remote = await repository.CreateBareRemoteAsync();
        var workFolder = Path.Combine(Path.GetTempPath(), $"evergreen-bench-mirror-{Guid.NewGuid():N}");

        repository.WriteFile("seed/.claude-plugin/plugin.json", """{ "name": "seed", "version": "1.0.0" }""");
        await repository.CommitAsync("seed");
        await repository.PushAsync(branch: "HEAD:refs/heads/main");

        var port = PortAvailability.GetFreePort();
        using var configStore = StartConfigStore(configStoreDll, port, database.ConnectionString, redis.ConnectionString, remote.Path, workFolder);
        try
        {
            return await MeasureAllAsync(port, redis.ConnectionString, repository, pluginCount, increments);
        }
        finally
        {
            Stop(configStore);
            await configStore.WaitForExitAsync();
            PathCleanup(workFolder);
        }
    }

    private static async Task<string> MeasureAllAsync(int port, string redisConnection, TempGitRepository repository, int pluginCount, int increments)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        await Eventually.Until(
            async () => (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromMinutes(2), "ConfigStore is ready (first sync done)");

        using var events = await EventClock.ConnectAsync(redisConnection);
        var generateClock = Stopwatch.StartNew();
        var files = GeneratePlugins(repository, pluginCount);
        var big = await repository.CommitAsync($"{pluginCount} plugins");
        await repository.PushAsync(branch: "HEAD:refs/heads/main");
        generateClock.Stop();

        var first = await MeasureAsync(http, events, big);
        var revision = JsonSerializer.Deserialize<RevisionDetails>(await http.GetStringAsync(new Uri($"/api/revisions/{big}", UriKind.Relative)), Json)?.Revision;

        var incremental = new List<Measurement>();
        for (var i = 0; i < increments; i++)
        {
            var plugin = $"plugin-{i % pluginCount:D3}";
            repository.WriteFile($"{plugin}/agents/reviewer.md", Agent("reviewer", $"Revision {i} of the reviewer prompt."));
            var commit = await repository.CommitAsync($"edit {plugin} reviewer ({i})");
            await repository.PushAsync(branch: "HEAD:refs/heads/main");
            incremental.Add(await MeasureAsync(http, events, commit));
        }

        return Report(pluginCount, files, generateClock.Elapsed, first, revision, incremental);
    }

    private static async Task<Measurement> MeasureAsync(HttpClient http, EventClock events, string commit)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync(new Uri("/api/sync", UriKind.Relative), content: null);
        var synced = Stopwatch.GetTimestamp();
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !body.Contains(commit, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"POST /api/sync did not store {commit}: {(int)response.StatusCode} {body}");
        }

        var received = await events.WaitForAsync(commit, Timeout);
        return new Measurement(Stopwatch.GetElapsedTime(start, synced), Stopwatch.GetElapsedTime(start, received), Stopwatch.GetElapsedTime(synced, received));
    }

    private static int GeneratePlugins(TempGitRepository repository, int count)
    {
        var files = 0;
        for (var i = 0; i < count; i++)
        {
            var name = $"plugin-{i:D3}";
            repository.WriteFile($"{name}/.claude-plugin/plugin.json", $$"""{ "name": "{{name}}", "version": "1.0.{{i}}", "description": "Generated plugin {{i}} for the ConfigStore benchmark." }""");
            repository.WriteFile($"{name}/agents/reviewer.md", Agent("reviewer", "Review the change for correctness."));
            repository.WriteFile($"{name}/agents/writer.md", Agent("writer", "Write clear release notes."));
            repository.WriteFile($"{name}/skills/summarize/SKILL.md", "---\nname: summarize\ndescription: Summarize a document in five bullet points.\n---\n\nRead the document, then write five bullets.\n");
            repository.WriteFile($"{name}/commands/check.md", "---\ndescription: Run the checks\nargument-hint: [path]\n---\n\nRun the checks on $ARGUMENTS.\n");
            files += 5;
        }

        return files;
    }

    private static string Agent(string name, string prompt) =>
        $"---\nname: {name}\ndescription: The {name} agent. Use it when: a {name} is needed.\ntools: Read, Grep\n---\n\n{prompt}\n";

    private static Process StartConfigStore(string dll, int port, string postgres, string redis, string url, string workFolder)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__postgres"] = postgres;
        start.Environment["ConnectionStrings__redis"] = redis;
        start.Environment["ConfigStore__Repository__Url"] = url;
        start.Environment["ConfigStore__Repository__WorkFolder"] = workFolder;
        start.Environment["ConfigStore__Repository__PollInterval"] = "01:00:00";
        start.Environment["Evergreen__AdminToken"] = AdminToken;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[configstore] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(process);
        return process;
    }

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void PathCleanup(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Report(int plugins, int files, TimeSpan generate, Measurement first, RevisionSummary? revision, List<Measurement> incremental)
    {
        static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);
        static TimeSpan Percentile(IEnumerable<TimeSpan> values, double p)
        {
            var sorted = values.Order().ToList();
            return sorted[(int)Math.Ceiling(p * sorted.Count) - 1];
        }

        var text = new StringBuilder();
        text.AppendLine("# ConfigStore sync benchmark");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC, `bench/configstore/run`: ConfigStore (Release) as a process over real PostgreSQL and Redis, tracking a local bare repository of {plugins} generated plugins ({files} plugin files; status {revision?.Status}, {revision?.PluginCount} plugins loaded).");
        text.AppendLine();
        text.AppendLine("| Measurement | Runs | p50 (ms) | p95 (ms) | max (ms) |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| First import: POST /api/sync → revision stored (fetch, parse, validate, store) | 1 | {Ms(first.Sync)} | | |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| First import: POST /api/sync → event received on Redis | 1 | {Ms(first.Event)} | | |");
        foreach (var (label, pick) in new (string, Func<Measurement, TimeSpan>)[]
        {
            ("Incremental 1-file commit: POST /api/sync → revision stored", static m => m.Sync),
            ("Incremental 1-file commit: POST /api/sync → event received on Redis", static m => m.Event),
            ("Incremental 1-file commit: revision stored → event received (outbox publish)", static m => m.Publish),
        })
        {
            var values = incremental.Select(pick).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {values.Count} | {Ms(Percentile(values, 0.5))} | {Ms(Percentile(values, 0.95))} | {Ms(values.Max())} |");
        }

        text.AppendLine();
        text.AppendLine("Notes:");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Environment.ProcessorCount} cores, shared by PostgreSQL, Redis, ConfigStore, git and this driver; .NET {Environment.Version}.");
        text.AppendLine(CultureInfo.InvariantCulture, $"- Generating and committing the repository took {Ms(generate)} ms (not part of any figure).");
        text.AppendLine("- Each sync reuses what it read and built for the previous commit (git trees and blobs by id, the builds of unchanged plugin folders), so an incremental commit reads and parses only what it changed; it still validates the whole catalog, serializes the whole snapshot and stores every path (contents once per hash).");
        text.AppendLine("- \"POST /api/sync → revision stored\" includes the fetch from the bare repository; the event is timed when this driver's Redis subscriber receives it.");
        return text.ToString();
    }

    private sealed record Measurement(TimeSpan Sync, TimeSpan Event, TimeSpan Publish);

    /// <summary>Subscribes to the revisions channel and notes when each revision's first event arrived.</summary>
    private sealed class EventClock : IDisposable
    {
        private readonly ConnectionMultiplexer _connection;
        private readonly ConcurrentDictionary<string, long> _received = new(StringComparer.Ordinal);

        private EventClock(ConnectionMultiplexer connection) => _connection = connection;

        public static async Task<EventClock> ConnectAsync(string connectionString)
        {
            var clock = new EventClock(await ConnectionMultiplexer.ConnectAsync(connectionString));
            await clock._connection.GetSubscriber().SubscribeAsync(RevisionPublished.Channel, (_, message) =>
            {
                var now = Stopwatch.GetTimestamp();
                var published = JsonSerializer.Deserialize<RevisionPublished>((string)message!, Json)!;
                clock._received.TryAdd(published.RevisionId, now);
            });
            return clock;
        }

        public async Task<long> WaitForAsync(string revisionId, TimeSpan timeout)
        {
            await Eventually.Until(() => _received.ContainsKey(revisionId), timeout, $"the event of {revisionId} arrived");
            return _received[revisionId];
        }

        public void Dispose() => _connection.Dispose();
    }
}
