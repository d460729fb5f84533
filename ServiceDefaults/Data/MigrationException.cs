namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// The database cannot be brought to the schema this build expects, and retrying will not help: an applied file was
/// edited, the database holds a migration this build does not have, or a migration's SQL failed (that file was
/// rolled back; earlier files stay applied). The message says what to do.
/// </summary>
public sealed class MigrationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public MigrationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The database error.</param>
    public MigrationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public MigrationException()
    {
    }
}
