namespace Evergreen.AppHost.Hosting.Orchestration;

/// <summary>
/// Writes every output line of every resource to the console, prefixed with the resource's name, and keeps the last
/// lines of each resource for the control API. Lines from different processes never interleave mid-line.
/// </summary>
internal sealed class ResourceLogSink(TextWriter console, int linesKept = 1000)
{
    private static readonly ConsoleColor[] Palette =
        [ConsoleColor.Cyan, ConsoleColor.Green, ConsoleColor.Yellow, ConsoleColor.Magenta, ConsoleColor.Blue, ConsoleColor.DarkCyan, ConsoleColor.DarkYellow, ConsoleColor.DarkGreen];

    private readonly Lock _consoleLock = new();
    private readonly Dictionary<string, ResourceLog> _logs = new(StringComparer.Ordinal);
    private readonly bool _colors = !Console.IsOutputRedirected && ReferenceEquals(console, Console.Out);
    private int _prefixWidth = 8;

    public void Register(string resourceName)
    {
        lock (_consoleLock)
        {
            _logs.TryAdd(resourceName, new ResourceLog(linesKept, Palette[_logs.Count % Palette.Length]));
            _prefixWidth = Math.Max(_prefixWidth, resourceName.Length);
        }
    }

    public void Write(string resourceName, string line, bool isError = false)
    {
        lock (_consoleLock)
        {
            if (!_logs.TryGetValue(resourceName, out var log))
            {
                log = new ResourceLog(linesKept, ConsoleColor.Gray);
                _logs[resourceName] = log;
            }

            log.Add(new LogLine(DateTimeOffset.UtcNow, line, isError));
            var prefix = resourceName.PadRight(_prefixWidth);
            if (_colors)
            {
                Console.ForegroundColor = log.Color;
                console.Write(prefix);
                Console.ResetColor();
                console.WriteLine($" | {line}");
            }
            else
            {
                console.WriteLine($"{prefix} | {line}");
            }
        }
    }

    public IReadOnlyList<LogLine> GetLines(string resourceName, int max)
    {
        lock (_consoleLock)
        {
            return _logs.TryGetValue(resourceName, out var log) ? log.Tail(max) : [];
        }
    }

    private sealed class ResourceLog(int capacity, ConsoleColor color)
    {
        private readonly Queue<LogLine> _lines = new();

        public ConsoleColor Color { get; } = color;

        public void Add(LogLine line)
        {
            if (_lines.Count == capacity)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }

        public IReadOnlyList<LogLine> Tail(int max) => [.. _lines.Skip(Math.Max(0, _lines.Count - max))];
    }
}

/// <summary>One line a resource wrote.</summary>
internal sealed record LogLine(DateTimeOffset Time, string Text, bool IsError);
