using Evergreen.ConfigStore.Plugins.Semver;

namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class VersionRangeTests
{
    [Theory]
    [InlineData("^1.2", "1.2.0", true)]
    [InlineData("^1.2", "1.99.0", true)]
    [InlineData("^1.2", "2.0.0", false)]
    [InlineData("^1.2", "1.1.9", false)]
    [InlineData("^0.2.3", "0.2.9", true)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("^0.0.3", "0.0.4", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("~1.2.3", "1.2.2", false)]
    [InlineData("~1", "1.9.0", true)]
    [InlineData(">=1.0 <2.0", "1.0.0", true)]
    [InlineData(">=1.0 <2.0", "2.0.0", false)]
    [InlineData(">= 1.0, < 2.0", "1.5.0", true)]
    [InlineData("1.x", "1.7.3", true)]
    [InlineData("1.x", "2.0.0", false)]
    [InlineData("1.2.x", "1.2.7", true)]
    [InlineData("1.2", "1.3.0", false)]
    [InlineData("1.2.3", "1.2.3", true)]
    [InlineData("=1.2.3", "1.2.4", false)]
    [InlineData("v1.2.3", "1.2.3", true)]
    [InlineData("*", "9.9.9", true)]
    [InlineData("", "0.1.0", true)]
    [InlineData(">1.2", "1.2.9", false)]
    [InlineData(">1.2", "1.3.0", true)]
    [InlineData("<=1.2", "1.2.9", true)]
    [InlineData("1.0.0 - 2.0", "2.0.9", true)]
    [InlineData("1.0.0 - 2.0", "2.1.0", false)]
    [InlineData("^1.0 || ^3.0", "3.1.0", true)]
    [InlineData("^1.0 || ^3.0", "2.1.0", false)]
    [InlineData("^1.0", "1.5.0-beta.1", false)]
    [InlineData("^1.5.0-beta.1", "1.5.0-beta.2", true)]
    [InlineData("^1.5.0-beta.1", "1.5.0-alpha", false)]
    [InlineData("^2.0.0-0", "2.0.0-rc.1", true)]
    [InlineData("<2.0.0", "2.0.0-rc.1", false)]
    public void IsSatisfiedBy_RangeAndVersion_MatchesNpmSemantics(string range, string version, bool expected)
    {
        var parsed = VersionRange.Parse(range);
        var candidate = SemanticVersion.Parse(version);

        Assert.NotNull(parsed);
        Assert.NotNull(candidate);
        Assert.Equal(expected, parsed.IsSatisfiedBy(candidate));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("^")]
    [InlineData(">=1.0 banana")]
    public void Parse_NotARange_ReturnsNull(string range) => Assert.Null(VersionRange.Parse(range));

    [Theory]
    [InlineData("1.0.0-alpha", "1.0.0-alpha.1")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.beta")]
    [InlineData("1.0.0-beta.2", "1.0.0-beta.11")]
    [InlineData("1.0.0-rc.1", "1.0.0")]
    [InlineData("1.9.0", "1.10.0")]
    public void CompareTo_SemverPrecedenceExamples_OrdersAscending(string lower, string higher) =>
        Assert.True(SemanticVersion.Parse(lower)!.CompareTo(SemanticVersion.Parse(higher)) < 0);
}
