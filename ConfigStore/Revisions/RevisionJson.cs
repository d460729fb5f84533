using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Evergreen.Contracts.Revisions;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.ConfigStore.Revisions;

/// <summary>
/// Serializes a revision's snapshot and diagnostics exactly as <c>JsonSerializer.Serialize(…, RevisionFactory.Json)</c>
/// does, but writes each plugin and each diagnostic from the bytes it was serialized to before when it is the same
/// object: an incremental sync reuses the objects of unchanged plugins and their diagnostics
/// (<see cref="Plugins.PluginBuildCache"/>, <see cref="Plugins.PluginFileLister"/>), so only the changed ones are
/// serialized again.
/// </summary>
/// <remarks>
/// The JSON of a plugin or a diagnostic depends only on that object (the options are fixed), and both are immutable, so
/// bytes keyed by object identity never go stale; an entry lives as long as its object. Thread-safe.
/// </remarks>
internal static class RevisionJson
{
    private static readonly ConditionalWeakTable<PluginDefinition, byte[]> PluginFragments = [];
    private static readonly ConditionalWeakTable<Diagnostic, byte[]> DiagnosticFragments = [];

    private static readonly JsonSerializerOptions SnapshotOptions = new(RevisionFactory.Json) { Converters = { new PluginConverter() } };

    /// <summary>The catalog as <see cref="RevisionFactory.Json"/> serializes it.</summary>
    public static string Snapshot(CatalogSnapshot catalog) => JsonSerializer.Serialize(catalog, SnapshotOptions);

    /// <summary>The diagnostics as <see cref="RevisionFactory.Json"/> serializes their <see cref="RevisionDiagnostic"/> list.</summary>
    public static string Diagnostics(IReadOnlyList<Diagnostic> diagnostics)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = RevisionFactory.Json.Encoder }))
        {
            writer.WriteStartArray();
            foreach (var diagnostic in diagnostics)
            {
                writer.WriteRawValue(
                    DiagnosticFragments.GetValue(diagnostic, static d => JsonSerializer.SerializeToUtf8Bytes(RevisionFactory.ToRevisionDiagnostic(d), RevisionFactory.Json)),
                    skipInputValidation: true);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class PluginConverter : JsonConverter<PluginDefinition>
    {
        public override PluginDefinition Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException($"{nameof(RevisionJson)} only writes.");

        public override void Write(Utf8JsonWriter writer, PluginDefinition value, JsonSerializerOptions options) =>
            writer.WriteRawValue(
                PluginFragments.GetValue(value, static plugin => JsonSerializer.SerializeToUtf8Bytes(plugin, RevisionFactory.Json)),
                skipInputValidation: true);
    }
}
