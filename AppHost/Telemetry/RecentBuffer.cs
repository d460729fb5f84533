using System.Collections.Immutable;

namespace Evergreen.AppHost.Telemetry;

/// <summary>
/// The newest items up to a count and an estimated size, oldest dropped first. Readers take the current immutable
/// snapshot without locking; writers serialize on a lock held only while they enqueue their batch (amortized O(1) per
/// item), then publish the new snapshot with one volatile write.
/// </summary>
internal sealed class RecentBuffer<T>
{
    private readonly Lock _writeGate = new();
    private readonly int _capacity;
    private readonly long _maxBytes;
    private readonly Func<T, int> _sizeOf;
    private Snapshot _current = new(ImmutableQueue<Entry>.Empty, 0, 0);
    private long _dropped;

    public RecentBuffer(int capacity, long maxBytes, Func<T, int> sizeOf)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _capacity = capacity;
        _maxBytes = maxBytes;
        _sizeOf = sizeOf;
    }

    public int Count => Volatile.Read(ref _current).Count;

    /// <summary>Items dropped so far to stay within the bounds.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Append(IReadOnlyList<T> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        lock (_writeGate)
        {
            var (queue, count, bytes) = _current;
            var skipped = Math.Max(0, items.Count - _capacity);
            var dropped = (long)skipped;
            for (var i = skipped; i < items.Count; i++)
            {
                var size = _sizeOf(items[i]);
                queue = queue.Enqueue(new Entry(items[i], size));
                count++;
                bytes += size;
                while (count > _capacity || (bytes > _maxBytes && count > 1))
                {
                    queue = queue.Dequeue(out var oldest);
                    count--;
                    bytes -= oldest.Size;
                    dropped++;
                }
            }

            Volatile.Write(ref _current, new Snapshot(queue, count, bytes));
            Interlocked.Add(ref _dropped, dropped);
        }
    }

    /// <summary>The items at this moment, oldest first.</summary>
    public T[] ToArray()
    {
        var snapshot = Volatile.Read(ref _current);
        var items = new T[snapshot.Count];
        var index = 0;
        foreach (var entry in snapshot.Queue)
        {
            items[index++] = entry.Item;
        }

        return items;
    }

    private readonly record struct Entry(T Item, int Size);

    private sealed record Snapshot(ImmutableQueue<Entry> Queue, int Count, long Bytes);
}
