using System.Text.RegularExpressions;

namespace Evergreen.ConfigStore.Plugins.Semver;

/// <summary>
/// A semantic-version range with npm's semantics, as Claude Code uses for plugin dependencies: <c>||</c> alternatives of
/// space-separated comparators; <c>^</c>, <c>~</c>, <c>&gt;=</c>, <c>&lt;</c>, hyphen ranges, <c>1.x</c>, exact versions and <c>*</c>.
/// A prerelease satisfies a range only when a comparator of the same alternative names a prerelease of the same release.
/// </summary>
internal sealed partial class VersionRange
{
    private readonly IReadOnlyList<IReadOnlyList<Comparator>> _alternatives;

    private VersionRange(IReadOnlyList<IReadOnlyList<Comparator>> alternatives) => _alternatives = alternatives;

    public static VersionRange? Parse(string text)
    {
        var alternatives = new List<IReadOnlyList<Comparator>>();
        foreach (var alternative in text.Split("||"))
        {
            if (ParseAlternative(alternative.Trim()) is not { } comparators)
            {
                return null;
            }

            alternatives.Add(comparators);
        }

        return new VersionRange(alternatives);
    }

    public bool IsSatisfiedBy(SemanticVersion version) =>
        _alternatives.Any(comparators =>
            comparators.All(c => c.IsSatisfiedBy(version)) &&
            (!version.IsPrerelease || comparators.Any(c => c.Version.IsPrerelease && c.Version.SameRelease(version))));

    private static List<Comparator>? ParseAlternative(string text)
    {
        if (Hyphen().Match(text) is { Success: true } hyphen)
        {
            return PartialVersion.Parse(hyphen.Groups["low"].Value) is { } low && PartialVersion.Parse(hyphen.Groups["high"].Value) is { } high
                ? [new(Operator.AtLeast, low.Floor()), UpperBound(high, inclusive: true)]
                : null;
        }

        // Tolerate "> = 1.0", ">= 1.0" and ">=1.0, <2.0": people write them, npm would reject them.
        var tokens = OperatorSpace().Replace(text, "$1").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        var comparators = new List<Comparator>();
        foreach (var token in tokens.DefaultIfEmpty("*"))
        {
            if (Token().Match(token) is not { Success: true } match || PartialVersion.Parse(match.Groups["version"].Value) is not { } version)
            {
                return null;
            }

            comparators.AddRange(Desugar(match.Groups["op"].Value, version));
        }

        return comparators;
    }

    private static IEnumerable<Comparator> Desugar(string op, PartialVersion version)
    {
        if (version.IsWildcard)
        {
            // "<*" and ">*" match nothing; every other form of "*" matches every release.
            return op is "<" or ">" ? [new(Operator.LessThan, new SemanticVersion(0, 0, 0).LowestPrerelease())] : [new(Operator.AtLeast, new SemanticVersion(0, 0, 0))];
        }

        var floor = version.Floor();
        return op switch
        {
            "" or "=" when version.IsComplete => [new(Operator.Exactly, floor)],
            "" or "=" => [new(Operator.AtLeast, floor), UpperBound(version, inclusive: true)],
            "~" or "~>" => [new(Operator.AtLeast, floor), new(Operator.LessThan, (version.Minor is null ? new SemanticVersion(floor.Major + 1, 0, 0) : new SemanticVersion(floor.Major, floor.Minor + 1, 0)).LowestPrerelease())],
            "^" => [new(Operator.AtLeast, floor), new(Operator.LessThan, CaretCeiling(version).LowestPrerelease())],
            ">=" => [new(Operator.AtLeast, floor)],
            ">" => [version.IsComplete ? new(Operator.GreaterThan, floor) : new(Operator.AtLeast, version.NextAfterWildcard())],
            "<" => [new(Operator.LessThan, version.IsComplete ? floor : floor.LowestPrerelease())],
            "<=" => [UpperBound(version, inclusive: true)],
            _ => [],
        };
    }

    /// <summary>^ allows changes that do not modify the left-most non-zero part (the one that is zero-counted as given).</summary>
    private static SemanticVersion CaretCeiling(PartialVersion version) => version switch
    {
        { Major: > 0 } or { Minor: null } => new SemanticVersion(version.Major!.Value + 1, 0, 0),
        { Minor: > 0 } or { Patch: null } => new SemanticVersion(0, version.Minor!.Value + 1, 0),
        _ => new SemanticVersion(0, 0, version.Patch!.Value + 1),
    };

    private static Comparator UpperBound(PartialVersion version, bool inclusive) =>
        version.IsComplete && inclusive ? new(Operator.AtMost, version.Floor()) : new(Operator.LessThan, version.NextAfterWildcard().LowestPrerelease());

    [GeneratedRegex(@"^(?<low>\S+)\s+-\s+(?<high>\S+)$")]
    private static partial Regex Hyphen();

    [GeneratedRegex(@"(>=|<=|~>|>|<|=|\^|~)\s+")]
    private static partial Regex OperatorSpace();

    [GeneratedRegex(@"^(?<op>>=|<=|~>|>|<|=|\^|~)?(?<version>.+)$")]
    private static partial Regex Token();

    private enum Operator
    {
        Exactly,
        GreaterThan,
        AtLeast,
        LessThan,
        AtMost,
    }

    private sealed record Comparator(Operator Operator, SemanticVersion Version)
    {
        public bool IsSatisfiedBy(SemanticVersion version) => Operator switch
        {
            Operator.Exactly => version.CompareTo(Version) == 0,
            Operator.GreaterThan => version.CompareTo(Version) > 0,
            Operator.AtLeast => version.CompareTo(Version) >= 0,
            Operator.LessThan => version.CompareTo(Version) < 0,
            _ => version.CompareTo(Version) <= 0,
        };
    }
}
