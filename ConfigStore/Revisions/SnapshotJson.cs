using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Serializes a catalog exactly as <c>JsonSerializer.Serialize(catalog, RevisionFactory.Json)</c> does, but writes each
/// plugin from the bytes it was serialized to before when it is the same plugin object: an incremental sync reuses the
/// objects of unchanged plugins (<see cref="Plugins.PluginFileLister"/>), so only the changed ones are serialized again.
/// </summary>
/// <remarks>
/// A plugin's JSON depends only on the plugin (the options are fixed), and definitions are immutable, so bytes keyed by
/// object identity never go stale; an entry lives as long as its plugin. Thread-safe.
/// </remarks>
internal static class SnapshotJson
{
    private static readonly ConditionalWeakTable<PluginDefinition, byte[]> Fragments = [];

    private static readonly JsonSerializerOptions Options = new(RevisionFactory.Json) { Converters = { new PluginConverter() } };

    public static string Serialize(CatalogSnapshot catalog) => JsonSerializer.Serialize(catalog, Options);

    private sealed class PluginConverter : JsonConverter<PluginDefinition>
    {
        public override PluginDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("SnapshotJson only writes.");

        public override void Write(Utf8JsonWriter writer, PluginDefinition value, JsonSerializerOptions options) =>
            writer.WriteRawValue(
                Fragments.GetValue(value, static plugin => JsonSerializer.SerializeToUtf8Bytes(plugin, RevisionFactory.Json)),
                skipInputValidation: true);
    }
}
