using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using Evergreen.AgentRuntime.Registry;
using Evergreen.Bench.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

// Activation of a plugin snapshot (fetch over real HTTP with gzip, SHA-256 check against the ETag, parse, validate,
// swap) for 50 and 500 plugins, and the memory that 10 loaded revisions of the 500-plugin catalog cost above one.
// `--part timing` or `--part memory` runs one half (bench/runtime/run runs them in two processes with different GC
// settings); `--output <file>` writes the markdown there too.
var output = Argument("--output");
var part = Argument("--part") ?? "all";
string? Argument(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
// Tiered JIT keeps recompiling the fetch path (Kestrel, HttpClient, gzip) over the first ten or so activations; the
// measured ones start after that, as they would in a replica that has served a while.
const int Warmup = 15;
const int Measured = 100; // a p95 of 40 samples is the second-worst one: too much at the mercy of one hiccup of a shared machine

var snapshots = new ConcurrentDictionary<string, (byte[] Gzip, string ETag, int Length)>(StringComparer.Ordinal);
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
await using var app = builder.Build();
app.MapGet("/api/revisions/{id}/snapshot", (string id, HttpContext http) =>
{
    if (!snapshots.TryGetValue(id, out var snapshot))
    {
        return Results.NotFound();
    }

    // As ConfigStore does: the ETag is the SHA-256 of the uncompressed body; the body travels gzip-compressed, compressed
    // once per revision (ConfigStore caches the compressed bodies of recent revisions).
    http.Response.Headers.ETag = $"\"{snapshot.ETag}\"";
    http.Response.Headers.ContentEncoding = "gzip";
    return Results.Bytes(snapshot.Gzip, "application/json");
});
await app.StartAsync();
var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
using var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }) { BaseAddress = address };
var client = new ConfigStoreClient(http);
var loader = new SnapshotLoader(client, TimeProvider.System);

string Publish(string id, byte[] body)
{
    using var compressed = new MemoryStream();
    using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal)) // as ConfigStore's cache of compressed snapshots
    {
        gzip.Write(body);
    }

    snapshots[id] = (compressed.ToArray(), Convert.ToHexStringLower(SHA256.HashData(body)), body.Length);
    return id;
}

PluginRegistry NewRegistry() =>
    new(new RegistryOptions { KeepRevisions = 10 }, new FileContentCache(client), new RegistryEvents(), TimeProvider.System);

async Task<double> ActivateAsync(PluginRegistry registry, string id)
{
    var started = Stopwatch.GetTimestamp();
    var revision = await loader.LoadAsync(id, registry.InternedPlugins(), CancellationToken.None);
    registry.Activate(revision, ActivationKind.Activated, fromMemory: false);
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

var rows = new List<string>();
foreach (var plugins in new[] { 50, 500 }.Where(_ => part is not "memory"))
{
    var versions = Enumerable.Range(0, Warmup + Measured + 1).Select(v => Publish($"r{plugins}-{v}", SnapshotGenerator.Build(plugins, v))).ToList();
    var size = snapshots[versions[0]];

    // First load of a replica: nothing to share, every plugin is parsed. A replica's first load starts on a heap that holds
    // no earlier catalog, so the previous iteration's (garbage by now) is collected before the clock starts; otherwise
    // every iteration would also pay for collecting the ~20 MB object graph the one before it built.
    var cold = new List<double>();
    for (var i = 0; i < Warmup + Measured; i++)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var elapsed = await ActivateAsync(NewRegistry(), versions[0]);
        if (i >= Warmup)
        {
            cold.Add(elapsed);
        }
    }

    // A replica following commits: each new revision changes one plugin; unchanged plugins are reused from memory.
    var registry = NewRegistry();
    await ActivateAsync(registry, versions[0]);
    var next = new List<double>();
    for (var i = 1; i < versions.Count; i++)
    {
        var elapsed = await ActivateAsync(registry, versions[i]);
        if (i > Warmup)
        {
            next.Add(elapsed);
        }
    }

    rows.Add(Row(plugins, "first load (all plugins parsed)", size.Length, size.Gzip.Length, cold));
    rows.Add(Row(plugins, "next revision (1 plugin changed)", size.Length, size.Gzip.Length, next));
}

// Memory: 10 revisions of the 500-plugin catalog in the registry versus one.
var memory = new List<string>();
foreach (var (label, allChanged) in new[] { ("one plugin changed per revision", false), ("every plugin changed in every revision (worst case)", true) }.Where(_ => part is not "timing"))
{
    var bodies = Enumerable.Range(0, 10).Select(v => SnapshotGenerator.Build(500, v, allChanged)).ToList();
    var (one, ten) = Retained(bodies);
    memory.Add($"| {label} | {Mb(one)} | {Mb(ten)} | **{Mb(ten - one)}** |");
}

var gc = $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC, {(GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent")}";
var report = new StringBuilder();
if (part is not "memory")
{
    report
        .AppendLine("# AgentRuntime benchmark: snapshot activation and loaded-revision memory")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Command: `bench/runtime/run`. Measured {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release.")
        .AppendLine(CultureInfo.InvariantCulture, $"Activation timed with {gc}{(GCSettings.IsServerGC && GCSettings.LatencyMode != GCLatencyMode.Batch ? " (the AgentRuntime service's defaults)" : " (NOT the service's server GC: run bench/runtime/run for that)")}.")
        .AppendLine()
        .AppendLine("Activation = GET of the snapshot from a real local HTTP server (Kestrel, gzip (Optimal) body compressed once per revision, ETag = SHA-256")
        .AppendLine("of the JSON, as ConfigStore serves it) through the runtime's `ConfigStoreClient`; then, beside the SHA-256 check against the ETag:")
        .AppendLine("the plugin slices are found by a vectorized boundary finder, each is looked up by its exact bytes among the loaded revisions'")
        .AppendLine("plugins, and only the others are parsed (in parallel when 16 or more) by a reader written for the schema, which checks each")
        .AppendLine("markdown body but leaves it encoded until a run reads it; validation, index build, swap into the registry.")
        .AppendLine(CultureInfo.InvariantCulture, $"{Warmup} warm-up activations, then {Measured} measured. Each plugin: 3 agents, 2 commands, 1 skill, 8 files;")
        .AppendLine("bodies are ~1.5 KB of markdown with lists, code spans, quotes and an <example> block, as agents are written.")
        .AppendLine("Each first load uses a new, empty registry, on a heap from which the previous iteration's catalog was collected before the clock started.")
        .AppendLine()
        .AppendLine("| plugins | case | snapshot JSON | on the wire (gzip) | p50 ms | p95 ms | max ms |")
        .AppendLine("|---:|---|---:|---:|---:|---:|---:|");
    rows.ForEach(r => report.AppendLine(r));
    report.AppendLine()
        .AppendLine("Target: p95 under 50 ms for 500 plugins.");
}

if (part is not "timing")
{
    report.AppendLine()
        .AppendLine("## Memory of loaded revisions (500 plugins)")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture, $"Heap growth of one registry (keeping 10 revisions) after loading 1 and then 10 revisions: `GC.GetTotalMemory` after full")
        .AppendLine(CultureInfo.InvariantCulture, $"blocking collections ({gc}). Snapshot bodies are prepared beforehand and verified, parsed, validated and swapped")
        .AppendLine("by the same `SnapshotLoader.Build` as above, without HTTP, so pooled HTTP buffers do not blur the figure.")
        .AppendLine("The file-content cache is empty: file bytes load lazily, by hash, when an agent reads them.")
        .AppendLine()
        .AppendLine("| revisions differ by | 1 revision | 10 revisions | 10 above 1 |")
        .AppendLine("|---|---:|---:|---:|");
    memory.ForEach(m => report.AppendLine(m));
    report.AppendLine()
        .AppendLine("Target: 10 revisions under 10 MB above one. Unchanged plugins are shared between revisions: a new snapshot reuses the")
        .AppendLine("`PluginDefinition` of any loaded revision whose plugin JSON is byte-identical (each plugin keeps a copy of its JSON for that")
        .AppendLine("comparison, counted in the first revision), so a revision costs its changed plugins plus its lookup tables. The worst case")
        .AppendLine("(every plugin rewritten in every revision) shares nothing and is shown for honesty.");
}

var text = report.ToString();
Console.WriteLine(text);
if (output is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
    await File.WriteAllTextAsync(output, text);
}

await app.StopAsync();

// Heap growth from loading the first revision, and from loading all ten, into one registry that keeps 10. The bodies are
// built beforehand and stay alive throughout, and no HTTP is involved, so only what the registry retains is counted.
(long One, long Ten) Retained(List<byte[]> bodies)
{
    var registry = NewRegistry();
    var before = Measure();
    Load(registry, bodies[0], 0);
    var one = Measure();
    for (var i = 1; i < bodies.Count; i++)
    {
        Load(registry, bodies[i], i);
    }

    var ten = Measure();
    GC.KeepAlive(registry);
    GC.KeepAlive(bodies);
    return (one - before, ten - before);
}

static void Load(PluginRegistry registry, byte[] body, int version)
{
    var etag = Convert.ToHexStringLower(SHA256.HashData(body));
    var revision = SnapshotLoader.Build($"memory-{version}", body, etag, registry.InternedPlugins(), TimeProvider.System, Stopwatch.GetTimestamp());
    registry.Activate(revision, ActivationKind.Activated, fromMemory: false);
}

static long Measure()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.00", CultureInfo.InvariantCulture) + " MB";

static string Kb(int bytes) => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture) + " KB";

static string Row(int plugins, string label, int length, int gzip, List<double> samples)
{
    var sorted = samples.Order().ToArray();
    double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    return string.Create(CultureInfo.InvariantCulture, $"| {plugins} | {label} | {Kb(length)} | {Kb(gzip)} | {At(0.50):0.0} | {At(0.95):0.0} | {sorted[^1]:0.0} |");
}
