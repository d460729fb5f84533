using System.Runtime.CompilerServices;
using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>The components of a plugin: agents, skills and commands, whose common members are read in one place.</summary>
internal static partial class PluginJsonReader
{
    private static readonly string[] AgentRequired = ["name", "qualifiedName", "body", "file"]; // a command's too
    private static readonly string[] SkillRequired = ["name", "qualifiedName", "body", "file", "folder"];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static AgentDefinition Agent(ref JsonCursor cursor, byte[] json)
    {
        var common = new ComponentMembers("agent", AgentRequired);
        string? model = null;
        List<string>? tools = null;
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (common.TryRead(property, ref cursor, json))
                {
                    continue; // on to the next member: `continue` in a do-while tests its condition
                }

                if (Is(property, "tools"u8)) { tools = cursor.TryNull() ? null : Strings(ref cursor); }
                else if (Is(property, "model"u8)) { model = cursor.StringOrNull(); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        common.Required.Check(ref cursor);
        return new AgentDefinition(common.Name!, common.QualifiedName!, common.Body!, common.File!)
        {
            Description = common.Description,
            Tools = tools,
            Model = model,
            Frontmatter = common.Frontmatter ?? DeferredJsonObject.Empty,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static SkillDefinition Skill(ref JsonCursor cursor, byte[] json)
    {
        var common = new ComponentMembers("skill", SkillRequired);
        string? folder = null;
        List<string>? allowedTools = null;
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (common.TryRead(property, ref cursor, json))
                {
                    continue; // on to the next member: `continue` in a do-while tests its condition
                }

                if (Is(property, "allowedTools"u8)) { allowedTools = cursor.TryNull() ? null : Strings(ref cursor); }
                else if (Is(property, "folder"u8)) { folder = common.Required.Seen(4, cursor.StringOrNull()); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        common.Required.Check(ref cursor);
        return new SkillDefinition(common.Name!, common.QualifiedName!, common.Body!, common.File!, folder!)
        {
            Description = common.Description,
            AllowedTools = allowedTools,
            Frontmatter = common.Frontmatter ?? DeferredJsonObject.Empty,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static CommandDefinition Command(ref JsonCursor cursor, byte[] json)
    {
        var common = new ComponentMembers("command", AgentRequired);
        string? argumentHint = null, model = null;
        List<string>? allowedTools = null;
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (common.TryRead(property, ref cursor, json))
                {
                    continue; // on to the next member: `continue` in a do-while tests its condition
                }

                if (Is(property, "argumentHint"u8)) { argumentHint = cursor.StringOrNull(); }
                else if (Is(property, "allowedTools"u8)) { allowedTools = cursor.TryNull() ? null : Strings(ref cursor); }
                else if (Is(property, "model"u8)) { model = cursor.StringOrNull(); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        common.Required.Check(ref cursor);
        return new CommandDefinition(common.Name!, common.QualifiedName!, common.Body!, common.File!)
        {
            Description = common.Description,
            ArgumentHint = argumentHint,
            AllowedTools = allowedTools,
            Model = model,
            Frontmatter = common.Frontmatter ?? DeferredJsonObject.Empty,
        };
    }

    /// <summary>A component's markdown body, checked now and decoded when first read. Unlike the serializer, a null body is refused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static JsonStringText Body(ref JsonCursor cursor, byte[] json)
    {
        if (cursor.TryNull())
        {
            throw cursor.Error("A body is null.");
        }

        var (start, length, escaped) = cursor.StringRange();
        return new JsonStringText(json, start, length, escaped);
    }

    /// <summary>
    /// The members agents, skills and commands share; <see cref="Required"/>'s first four are name, qualified name, body and
    /// file, in that order.
    /// </summary>
    private struct ComponentMembers(string what, string[] required)
    {
        public Required Required = new(what, required);
        public string? Name;
        public string? QualifiedName;
        public string? Description;
        public JsonStringText? Body;
        public string? File;
        public IReadOnlyDictionary<string, JsonElement>? Frontmatter;

        /// <summary>Reads the value of <paramref name="property"/> when it is one of the shared members; false, reading nothing, otherwise.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryRead(ReadOnlySpan<byte> property, ref JsonCursor cursor, byte[] json)
        {
            if (Is(property, "name"u8)) { Name = Required.Seen(0, cursor.StringOrNull()); }
            else if (Is(property, "qualifiedName"u8)) { QualifiedName = Required.Seen(1, cursor.StringOrNull()); }
            else if (Is(property, "description"u8)) { Description = cursor.StringOrNull(); }
            else if (Is(property, "body"u8)) { Body = Required.Seen(2, PluginJsonReader.Body(ref cursor, json)); }
            else if (Is(property, "file"u8)) { File = Required.Seen(3, cursor.StringOrNull()); }
            else if (Is(property, "frontmatter"u8)) { Frontmatter = Dictionary(ref cursor, json, "frontmatter"); }
            else { return false; }

            return true;
        }
    }
}
