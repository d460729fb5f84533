using System.Globalization;
using System.Text.RegularExpressions;

namespace Evergreen.ConfigStore.Plugins.Semver;

/// <summary>A semantic version (semver.org 2.0.0): precedence ignores build metadata; a prerelease sorts before its release.</summary>
internal sealed partial record SemanticVersion(int Major, int Minor, int Patch, IReadOnlyList<string> Prerelease) : IComparable<SemanticVersion>
{
    public SemanticVersion(int major, int minor, int patch)
        : this(major, minor, patch, [])
    {
    }

    public bool IsPrerelease => Prerelease.Count > 0;

    /// <summary>Parses a plugin's version leniently: <c>v1.2.3</c>, and <c>1.2</c> or <c>1</c> as <c>1.2.0</c> and <c>1.0.0</c>.</summary>
    public static SemanticVersion? Parse(string? text)
    {
        if (text is null || PartialVersion.Parse(text) is not { Major: { } major } partial || partial.IsWildcard)
        {
            return null;
        }

        return new SemanticVersion(major, partial.Minor ?? 0, partial.Patch ?? 0, partial.Prerelease);
    }

    /// <summary>The same release with the lowest possible prerelease (<c>-0</c>): the exclusive upper bound that keeps its prereleases out.</summary>
    public SemanticVersion LowestPrerelease() => this with { Prerelease = ["0"] };

    public bool SameRelease(SemanticVersion other) => Major == other.Major && Minor == other.Minor && Patch == other.Patch;

    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var release = (Major, Minor, Patch).CompareTo((other.Major, other.Minor, other.Patch));
        if (release != 0)
        {
            return release;
        }

        if (IsPrerelease != other.IsPrerelease)
        {
            return IsPrerelease ? -1 : 1;
        }

        for (var index = 0; index < Math.Min(Prerelease.Count, other.Prerelease.Count); index++)
        {
            var identifier = CompareIdentifiers(Prerelease[index], other.Prerelease[index]);
            if (identifier != 0)
            {
                return identifier;
            }
        }

        return Prerelease.Count.CompareTo(other.Prerelease.Count);
    }

    public bool Equals(SemanticVersion? other) => other is not null && CompareTo(other) == 0;

    public override int GetHashCode() => HashCode.Combine(Major, Minor, Patch, string.Join('.', Prerelease));

    public override string ToString() => $"{Major}.{Minor}.{Patch}" + (IsPrerelease ? "-" + string.Join('.', Prerelease) : "");

    // Numeric identifiers compare numerically and sort before alphanumeric ones (semver.org §11.4).
    private static int CompareIdentifiers(string left, string right)
    {
        var leftNumeric = long.TryParse(left, NumberStyles.None, CultureInfo.InvariantCulture, out var leftNumber);
        var rightNumeric = long.TryParse(right, NumberStyles.None, CultureInfo.InvariantCulture, out var rightNumber);
        return (leftNumeric, rightNumeric) switch
        {
            (true, true) => leftNumber.CompareTo(rightNumber),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(left, right),
        };
    }
}

/// <summary>A version as written in a range, where trailing parts may be missing or wildcards (<c>1.x</c>, <c>1.2</c>, <c>*</c>).</summary>
internal sealed partial record PartialVersion(int? Major, int? Minor, int? Patch, IReadOnlyList<string> Prerelease)
{
    public bool IsWildcard => Major is null;

    public bool IsComplete => Patch is not null;

    public SemanticVersion Floor() => new(Major ?? 0, Minor ?? 0, Patch ?? 0, Prerelease);

    /// <summary>The first version past the wildcard part: <c>1.x</c> → <c>2.0.0</c>, <c>1.2</c> → <c>1.3.0</c>.</summary>
    public SemanticVersion NextAfterWildcard() =>
        Minor is null ? new SemanticVersion((Major ?? 0) + 1, 0, 0) : new SemanticVersion(Major ?? 0, Minor.Value + 1, 0);

    public static PartialVersion? Parse(string text)
    {
        if (Pattern().Match(text.Trim()) is not { Success: true } match)
        {
            return null;
        }

        var major = Number(match.Groups["major"]);
        var minor = major is null ? null : Number(match.Groups["minor"]);
        var patch = minor is null ? null : Number(match.Groups["patch"]);
        var prerelease = match.Groups["pre"].Success && patch is not null ? match.Groups["pre"].Value.Split('.') : [];
        return new PartialVersion(major, minor, patch, prerelease);
    }

    private static int? Number(Group group) =>
        group.Success && int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex(@"^[vV=]?(?<major>\d+|[xX*])(?:\.(?<minor>\d+|[xX*]))?(?:\.(?<patch>\d+|[xX*]))?(?:-(?<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$")]
    private static partial Regex Pattern();
}
