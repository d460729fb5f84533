namespace Evergreen.ServiceDefaults.Redis;

/// <summary>Redis could not be reached; the operation may succeed later.</summary>
public sealed class RedisUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The client's error.</param>
    public RedisUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed.</param>
    public RedisUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RedisUnavailableException()
    {
    }
}
