namespace Evergreen.Contracts.Snapshots;

/// <summary>
/// A text decoded on its first read and kept from then on. It lets a reader hold a large string, such as a component's
/// markdown body, in the compact form it arrived in until something needs it. A runtime loads hundreds of plugins and
/// runs few of their agents, so most bodies are never read.
/// </summary>
/// <remarks>
/// Thread-safe. Under a race <see cref="Decode"/> may run more than once; it must return the same text each time, and it
/// must not fail: whoever creates the instance checks up front that the text can be decoded.
/// </remarks>
public abstract class DeferredText
{
    private string? _value;

    /// <summary>The text, decoded on the first read.</summary>
    public string Value
    {
        get
        {
            if (Volatile.Read(ref _value) is { } value)
            {
                return value;
            }

            var decoded = Decode();
            return Interlocked.CompareExchange(ref _value, decoded, null) ?? decoded;
        }
    }

    /// <summary>Produces the text; called at most once per instance unless two threads read it first at the same time.</summary>
    protected abstract string Decode();
}
