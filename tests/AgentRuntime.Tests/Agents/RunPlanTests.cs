using System.Text.Json;
using Evergreen.AgentRuntime.Agents;
using Evergreen.AgentRuntime.Agents.Models;
using Evergreen.AgentRuntime.Agents.Tools;
using Microsoft.Extensions.Configuration;

namespace Evergreen.AgentRuntime.Tests.Agents;

/// <summary>What a run sends: instructions, first message, turn limit and model.</summary>
public sealed class RunPlanTests
{
    private static readonly AgentRunnerOptions Options = new() { MaxTurns = 10 };

    [Fact]
    public void Create_Skill_UsesTheSkillBodyAsInstructions()
    {
        var plan = RunPlan.Create(TestPlugin.Run(new AgentTarget { Skill = TestPlugin.Style }, "format this"), new ToolCatalog(), Options);

        Assert.StartsWith("Use tabs. Never semicolons.", plan.SystemPrompt, StringComparison.Ordinal);
        Assert.Equal("format this", plan.UserMessage);
        Assert.False(plan.ProposesChanges);
        Assert.DoesNotContain(plan.Tools, t => t.Writes);
    }

    [Fact]
    public void Create_CommandWithoutPlaceholder_AppendsTheArguments()
    {
        var command = TestPlugin.Review with { Body = "Summarize the repository." };

        var plan = RunPlan.Create(TestPlugin.Run(new AgentTarget { Command = command }, "briefly"), new ToolCatalog(), Options);

        Assert.Equal("Summarize the repository.\n\nARGUMENTS: briefly", plan.UserMessage);
        Assert.Contains("slash command of the 'code-review' plugin", plan.SystemPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_NoTarget_IsRefused() =>
        Assert.Throws<ArgumentException>(() => RunPlan.Create(TestPlugin.Run(new AgentTarget(), "x"), new ToolCatalog(), Options));

    [Theory]
    [InlineData(null, null, 10)]
    [InlineData(3, null, 3)]
    [InlineData(null, 4, 4)]
    [InlineData(3, 5, 3)]
    [InlineData(6, 2, 2)]
    [InlineData(50, 40, 10)]
    public void TurnLimit_FrontmatterRequestAndCap_TakesTheStrictest(int? frontmatter, int? requested, int expected)
    {
        var values = frontmatter is null
            ? new Dictionary<string, JsonElement>()
            : new Dictionary<string, JsonElement> { ["max-turns"] = JsonSerializer.SerializeToElement(frontmatter.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)) };

        Assert.Equal(expected, RunPlan.TurnLimit(values, requested, Options));
    }

    [Theory]
    [InlineData("sonnet", "claude-sonnet-configured")]
    [InlineData("opus", "claude-opus-4-1")]
    [InlineData("HAIKU", "claude-haiku-4-5")]
    [InlineData("inherit", "claude-sonnet-configured")]
    [InlineData(null, "claude-sonnet-configured")]
    [InlineData("claude-3-5-haiku-20241022", "claude-3-5-haiku-20241022")]
    public void Resolve_Aliases_MapToConfiguredModels(string? model, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["AgentRuntime:Models:sonnet"] = "claude-sonnet-configured" })
            .Build();

        Assert.Equal(expected, new ModelAliases(configuration).Resolve(model));
    }
}
