using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>What <see cref="PluginCatalogLoader.Load"/> found: the catalog, and every problem met on the way.</summary>
public sealed record PluginLoadResult
{
    /// <summary>The normalized catalog. Built even when the revision is invalid, so the problems can be shown in context.</summary>
    public required CatalogSnapshot Catalog { get; init; }

    /// <summary>Errors and warnings, sorted by file, line, code and message.</summary>
    public required IReadOnlyList<Diagnostic> Diagnostics { get; init; }

    /// <summary>The catalog's plugins (a shortcut for <c>Catalog.Plugins</c>).</summary>
    public IReadOnlyList<PluginDefinition> Plugins => Catalog.Plugins;

    /// <summary>True when no diagnostic is an error: the revision may be published.</summary>
    public bool IsValid => !Diagnostics.Any(static d => d.Severity == DiagnosticSeverity.Error);
}
