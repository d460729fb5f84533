namespace Evergreen.ConfigStore.Tests.Plugins;

public sealed class DependencyTests
{
    [Fact]
    public void Load_DependencyByNameThatIsPresent_IsValid()
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", """, "dependencies": ["lib"] """)
            .Plugin("lib", "lib")
            .Load();

        result.AssertClean();
        Assert.Equal("lib", Assert.Single(result.Plugin("app").Dependencies).Name);
    }

    [Fact]
    public void Load_DependencyOnMissingPlugin_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", """, "dependencies": ["audit-logger"] """)
            .Load();

        var error = result.SingleError("dependency-missing", "app/.claude-plugin/plugin.json");
        Assert.Contains("'audit-logger'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("^1.2", "1.4.0")]
    [InlineData("~2.1.0", "2.1.9")]
    [InlineData(">=1.0 <2.0", "1.9.9")]
    [InlineData("1.x", "1.0.0")]
    [InlineData("3.0.0", "3.0.0")]
    [InlineData("*", "0.0.1")]
    public void Load_DependencyRangeSatisfiedByPresentVersion_IsValid(string range, string version)
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", $$""", "dependencies": [ { "name": "lib", "version": "{{range}}" } ] """)
            .File("lib/.claude-plugin/plugin.json", $$"""{ "name": "lib", "version": "{{version}}" }""")
            .Load();

        result.AssertClean();
        Assert.Equal(range, Assert.Single(result.Plugin("app").Dependencies).VersionRange);
    }

    [Theory]
    [InlineData("^2.0", "1.9.0")]
    [InlineData("~2.1.0", "2.2.0")]
    [InlineData(">=1.0 <2.0", "2.0.0")]
    [InlineData("1.x", "2.0.0")]
    [InlineData("3.0.0", "3.0.1")]
    [InlineData("^1.0", "1.5.0-beta.1")]
    public void Load_DependencyRangeNotSatisfied_IsError(string range, string version)
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", $$""", "dependencies": [ { "name": "lib", "version": "{{range}}" } ] """)
            .File("lib/.claude-plugin/plugin.json", $$"""{ "name": "lib", "version": "{{version}}" }""")
            .Load();

        var error = result.SingleError("dependency-version-unsatisfied", "app/.claude-plugin/plugin.json");
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DependencyWithRangeOnPluginWithoutVersion_IsError()
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", """, "dependencies": [ { "name": "lib", "version": "^1.0" } ] """)
            .File("lib/.claude-plugin/plugin.json", """{ "name": "lib" }""")
            .Load();

        Assert.Contains("no version", result.SingleError("dependency-version-unsatisfied").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DependencyCycle_IsErrorReportedWithTheChain()
    {
        var result = new TreeBuilder()
            .Plugin("b", "b", """, "dependencies": ["c"] """)
            .Plugin("a", "a", """, "dependencies": ["b"] """)
            .Plugin("c", "c", """, "dependencies": [ { "name": "a" } ] """)
            .Plugin("d", "d", """, "dependencies": ["a"] """)
            .Load();

        var error = result.SingleError("dependency-cycle");
        Assert.Contains("a → b → c → a", error.Message, StringComparison.Ordinal);
        Assert.Equal("a/.claude-plugin/plugin.json", error.File);
    }

    [Fact]
    public void Load_PluginDependingOnItself_IsCycleError()
    {
        var result = new TreeBuilder().Plugin("a", "a", """, "dependencies": ["a"] """).Load();

        Assert.Contains("a → a", result.SingleError("dependency-cycle").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_DependencyDeclaredInMarketplaceEntry_IsChecked()
    {
        var result = new TreeBuilder()
            .File(".claude-plugin/marketplace.json", """{ "name": "m", "plugins": [ { "name": "app", "source": "./app", "strict": false, "dependencies": ["ghost"] } ] }""")
            .Agent("app/agents/a.md", "a")
            .Load();

        result.SingleError("dependency-missing", ".claude-plugin/marketplace.json");
    }

    [Fact]
    public void Load_DependencyOnAnotherMarketplace_WarnsThatItIsUnchecked()
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", """, "dependencies": ["tools@elsewhere", { "name": "more", "marketplace": "other" }] """)
            .Load();

        Assert.Equal(2, result.WithCode("dependency-unchecked").Count);
        Assert.True(result.IsValid);
        Assert.Equal(["elsewhere", "other"], result.Plugin("app").Dependencies.Select(d => d.Marketplace));
    }

    [Fact]
    public void Load_DependencyWithUnparseableRange_WarnsThatTheVersionIsUnchecked()
    {
        var result = new TreeBuilder()
            .Plugin("app", "app", """, "dependencies": [ { "name": "lib", "version": "latest please" } ] """)
            .Plugin("lib", "lib")
            .Load();

        result.SingleWarning("dependency-unchecked");
        Assert.True(result.IsValid);
    }
}
