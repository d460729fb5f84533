using Evergreen.Gateway.Configuration;

namespace Evergreen.Gateway.Routing;

/// <summary>
/// The current <see cref="WeightSnapshot"/>. Readers take <see cref="Current"/> once per decision and never lock;
/// writers build a new snapshot and publish it with a compare-exchange, so concurrent updates never lose each other.
/// </summary>
internal sealed class DestinationWeights
{
    private WeightSnapshot _current;

    public DestinationWeights(DestinationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _current = new WeightSnapshot([.. catalog.Destinations.Select(d => d.InitialWeight)], version: 0);
    }

    public WeightSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Applies every change in one step. Indexes and weights must already be validated.</summary>
    /// <returns>The snapshot that now holds.</returns>
    public WeightSnapshot Update(IReadOnlyList<KeyValuePair<int, int>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        while (true)
        {
            var current = Volatile.Read(ref _current);
            var next = current.With(changes);

            // Interlocked is a full fence: a drain that publishes weight 0 and then reads in-flight counters cannot have
            // the read move before the publish (see ForwardingStep's matching increment-then-check).
            if (ReferenceEquals(Interlocked.CompareExchange(ref _current, next, current), current))
            {
                return next;
            }
        }
    }
}
