using System.Collections.Immutable;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// Immutable weights of every destination, indexed like <see cref="Configuration.DestinationCatalog.Destinations"/>.
/// A new snapshot replaces the old one as a whole; readers keep the one they captured.
/// </summary>
internal sealed class WeightSnapshot
{
    private readonly ImmutableArray<int> _weights;

    public WeightSnapshot(ImmutableArray<int> weights, long version)
    {
        _weights = weights;
        Version = version;
    }

    /// <summary>Increases by one with every change; lets callers tell two snapshots apart cheaply.</summary>
    public long Version { get; }

    public int Count => _weights.Length;

    public int this[int index] => _weights[index];

    public WeightSnapshot With(IReadOnlyList<KeyValuePair<int, int>> changes)
    {
        var builder = _weights.ToBuilder();
        foreach (var (index, weight) in changes)
        {
            builder[index] = weight;
        }

        return new WeightSnapshot(builder.MoveToImmutable(), Version + 1);
    }
}
