using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Plugins;

/// <summary>A plugin as loaded, with where its manifest fields were declared (for diagnostics found after loading).</summary>
internal sealed record LoadedPlugin(PluginDefinition Definition, string? DeclarationFile);
