using System.Globalization;
using System.Text.Json;

namespace Evergreen.AgentRuntime.Agents.Tools;

/// <summary>
/// The arguments of one tool call, as parsed JSON values (from a provider) or plain .NET values (from the offline
/// model). Missing or mistyped arguments raise a <see cref="ToolException"/> naming the argument.
/// </summary>
internal sealed class ToolArguments(string toolName, IDictionary<string, object?>? values)
{
    private readonly IDictionary<string, object?> _values = values ?? new Dictionary<string, object?>();

    public string GetRequiredString(string name) =>
        GetString(name) ?? throw new ToolException($"{toolName} needs the string argument '{name}'.");

    public string? GetString(string name) => Get(name) switch
    {
        null => null,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString(),
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        JsonElement element => throw new ToolException($"{toolName}: argument '{name}' must be a string, not {element.ValueKind}."),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    public int? GetInt32(string name) => Get(name) switch
    {
        null => null,
        int value => value,
        long value when value is >= int.MinValue and <= int.MaxValue => (int)value,
        JsonElement { ValueKind: JsonValueKind.Number } element when element.TryGetInt32(out var value) => value,
        JsonElement { ValueKind: JsonValueKind.String } element when int.TryParse(element.GetString(), CultureInfo.InvariantCulture, out var value) => value,
        JsonElement { ValueKind: JsonValueKind.Null } => null,
        string text when int.TryParse(text, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw new ToolException($"{toolName}: argument '{name}' must be a whole number."),
    };

    public bool GetBoolean(string name) => Get(name) switch
    {
        null => false,
        bool value => value,
        JsonElement { ValueKind: JsonValueKind.True } => true,
        JsonElement { ValueKind: JsonValueKind.False or JsonValueKind.Null } => false,
        JsonElement { ValueKind: JsonValueKind.String } element when bool.TryParse(element.GetString(), out var value) => value,
        string text when bool.TryParse(text, out var value) => value,
        _ => throw new ToolException($"{toolName}: argument '{name}' must be true or false."),
    };

    private object? Get(string name) => _values.TryGetValue(name, out var value) ? value : null;
}
