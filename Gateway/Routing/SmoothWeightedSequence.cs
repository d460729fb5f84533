namespace Evergreen.Gateway.Routing;

/// <summary>
/// Smooth weighted round robin (nginx's algorithm) unrolled into one period: with weights 4:1 the order is
/// A A B A A, not A A A A B. Precomputing the period turns each pick into one interlocked increment and an array read,
/// so the request path needs no lock.
/// </summary>
internal static class SmoothWeightedSequence
{
    /// <summary>One period of picks: indexes into <paramref name="weights"/>, length = sum of weights / their gcd.</summary>
    /// <param name="weights">Positive weights.</param>
    public static int[] Build(ReadOnlySpan<int> weights)
    {
        if (weights.IsEmpty)
        {
            return [];
        }

        var divisor = 0;
        foreach (var weight in weights)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight, nameof(weights));
            divisor = Gcd(divisor, weight);
        }

        var reduced = new int[weights.Length];
        var total = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            reduced[i] = weights[i] / divisor;
            total += reduced[i];
        }

        var current = new int[weights.Length];
        var sequence = new int[total];
        for (var step = 0; step < total; step++)
        {
            var best = 0;
            for (var i = 0; i < reduced.Length; i++)
            {
                current[i] += reduced[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }

            current[best] -= total;
            sequence[step] = best;
        }

        return sequence;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
