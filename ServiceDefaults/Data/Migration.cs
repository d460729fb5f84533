using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Evergreen.ServiceDefaults.Data;

/// <summary>
/// One numbered SQL file, for example <c>Data/Migrations/0001_initial.sql</c>. Immutable.
/// </summary>
/// <remarks>
/// The checksum is the SHA-256 of the text with line endings normalized to LF, so a checkout that converts line
/// endings does not look like an edit. Every statement of a file runs in one transaction, so a file must not use
/// statements PostgreSQL refuses inside a transaction (<c>CREATE INDEX CONCURRENTLY</c>, <c>VACUUM</c>).
/// </remarks>
public sealed partial record Migration
{
    /// <summary>Creates a migration.</summary>
    /// <param name="version">The number that orders it; unique within a service.</param>
    /// <param name="name">The file name, for example <c>0001_initial.sql</c>, used in logs and errors.</param>
    /// <param name="sql">The statements to run.</param>
    public Migration(int version, string name, string sql)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(sql);
        Version = version;
        Name = name;
        Sql = sql;
        Checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
    }

    /// <summary>Gets the number that orders the migration.</summary>
    public int Version { get; }

    /// <summary>Gets the file name, for example <c>0001_initial.sql</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the SQL text.</summary>
    public string Sql { get; }

    /// <summary>Gets the lower-case hex SHA-256 of <see cref="Sql"/> with LF line endings.</summary>
    public string Checksum { get; }

    /// <summary>
    /// Reads the embedded resources of <paramref name="assembly"/> whose names end with
    /// <c>Data.Migrations.NNNN_name.sql</c> (files <c>Data/Migrations/NNNN_name.sql</c> embedded with
    /// <c>&lt;EmbeddedResource Include="Data/Migrations/*.sql" /&gt;</c>), ordered by version.
    /// </summary>
    /// <param name="assembly">The service's assembly.</param>
    /// <returns>The migrations in version order; empty when there are none.</returns>
    /// <exception cref="InvalidOperationException">When two files share a version.</exception>
    public static IReadOnlyList<Migration> FromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded resource '{resource}' cannot be read.");
            using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            var version = int.Parse(match.Groups["version"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
            migrations.Add(new Migration(version, match.Groups["file"].Value, reader.ReadToEnd()));
        }

        return Order(migrations);
    }

    internal static IReadOnlyList<Migration> Order(IEnumerable<Migration> migrations)
    {
        var ordered = migrations.OrderBy(m => m.Version).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Version == ordered[i - 1].Version)
            {
                throw new InvalidOperationException(
                    $"Migrations {ordered[i - 1].Name} and {ordered[i].Name} have the same version {ordered[i].Version}: renumber one of them.");
            }
        }

        return ordered;
    }

    [GeneratedRegex(@"(?:^|\.)Data\.Migrations\.(?<file>(?<version>[0-9]+)_.+\.sql)$", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();
}
