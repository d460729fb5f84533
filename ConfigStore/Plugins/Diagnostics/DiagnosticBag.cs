using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins.Diagnostics;

/// <summary>Collects the diagnostics of one load. Not thread-safe: one load, one bag.</summary>
internal sealed class DiagnosticBag(bool strict)
{
    private readonly List<Diagnostic> _items = [];

    public void Error(string code, string message, string? file = null, int? line = null) =>
        Add(DiagnosticSeverity.Error, code, message, file, line);

    public void Warning(string code, string message, string? file = null, int? line = null) =>
        Add(DiagnosticSeverity.Warning, code, message, file, line);

    /// <summary>An Agent Skills specification rule: an error under the strict profile, a warning otherwise.</summary>
    public void SpecRule(string code, string message, string? file = null, int? line = null) =>
        Add(strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, code, message, file, line);

    /// <summary>How many diagnostics were added so far: a mark for <see cref="Since"/>.</summary>
    public int Count => _items.Count;

    /// <summary>The diagnostics added after <paramref name="mark"/> (a <see cref="Count"/> taken earlier), in order.</summary>
    public Diagnostic[] Since(int mark) => _items.GetRange(mark, _items.Count - mark).ToArray();

    /// <summary>Adds diagnostics met before (a cached plugin build's), as they were.</summary>
    public void AddRange(IEnumerable<Diagnostic> diagnostics) => _items.AddRange(diagnostics);

    public IReadOnlyList<Diagnostic> ToSortedList() =>
    [
        .. _items
            .Distinct()
            .OrderBy(static d => d.File ?? "", StringComparer.Ordinal)
            .ThenBy(static d => d.Line ?? 0)
            .ThenBy(static d => d.Code, StringComparer.Ordinal)
            .ThenBy(static d => d.Message, StringComparer.Ordinal),
    ];

    private void Add(DiagnosticSeverity severity, string code, string message, string? file, int? line) =>
        _items.Add(new Diagnostic { Severity = severity, Code = code, Message = message, File = file, Line = line });
}
