using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// A markdown body left as the JSON string it arrived in, inside its plugin's JSON bytes (which the registry keeps anyway,
/// to recognise unchanged plugins), and decoded when a run first reads it. A first load then neither transcodes nor
/// allocates the bodies, most of a snapshot's bytes, and plugins whose agents never run never hold them twice.
/// </summary>
internal sealed class JsonStringText(byte[] json, int start, int length, bool escaped) : DeferredText
{
    protected override string Decode() => JsonStringDecoder.Decode(json.AsSpan(start, length), escaped);
}
