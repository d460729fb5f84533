using System.Globalization;
using Evergreen.Bench.ConfigStore;

// bench/configstore/run passes: <ConfigStore.dll> <results.md> [plugins] [incremental commits]
var configStoreDll = args[0];
var resultsPath = args[1];
var plugins = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 500;
var increments = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 20;

var report = await SyncBenchmark.RunAsync(configStoreDll, plugins, increments);
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultsPath))!);
await File.WriteAllTextAsync(resultsPath, report);
Console.WriteLine(report);
