using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Evergreen.Contracts.Snapshots;

namespace Evergreen.AgentRuntime.Registry;

/// <summary>
/// Reads one plugin of a snapshot into a <see cref="PluginDefinition"/>: the same result as
/// <c>JsonSerializer.Deserialize&lt;PluginDefinition&gt;</c> with the web defaults ConfigStore writes it with (camel case,
/// names matched ignoring case, unknown properties skipped, <c>required</c> properties enforced, integers also read from
/// strings), except that each markdown body stays encoded until a run reads it (<see cref="JsonStringText"/>), and that a
/// null list or body is refused. It is two to three times faster than the serializer, because <see cref="JsonCursor"/>
/// crosses the long, escape-laden bodies with vectorized searches and nothing decodes them. Activation of a replica's
/// first revision is mostly this parse. Anything that is not JSON, or does not fit the schema, throws
/// <see cref="JsonException"/>; AgentRuntime.Tests compares it with the serializer on every field.
/// </summary>
/// <remarks>
/// Methods here, in <see cref="JsonCursor"/> and in <see cref="JsonArraySlicer"/> are compiled fully optimized at their
/// first call (<see cref="MethodImplOptions.AggressiveOptimization"/>): a replica's first load runs at start, before tiered
/// compilation has promoted anything, and unoptimized code made it several times slower.
/// </remarks>
internal static partial class PluginJsonReader
{
    private static readonly string[] PluginRequired = ["name", "root", "origin"];
    private static readonly string[] FileRequired = ["path", "hash", "size"];
    private static readonly string[] DependencyRequired = ["name"];

    private static readonly (string Name, PluginOrigin Value)[] Origins = [.. Enum.GetValues<PluginOrigin>().Select(o => (o.ToString(), o))];

    private delegate T ReadValue<T>(ref JsonCursor cursor);

    /// <summary>
    /// Reads the plugin whose JSON is <paramref name="json"/>. Bodies are checked but not decoded: each stays a
    /// <see cref="JsonStringText"/> over <paramref name="json"/>, which the caller must therefore never change.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static PluginDefinition Read(byte[] json)
    {
        var cursor = new JsonCursor(json);
        if (cursor.TryNull())
        {
            throw cursor.Error("A plugin is null.");
        }

        var plugin = Plugin(ref cursor, json);
        cursor.End();
        return plugin;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PluginDefinition Plugin(ref JsonCursor cursor, byte[] json)
    {
        string? name = null, version = null, description = null, root = null, manifestFile = null, hooksFile = null, mcpServersFile = null;
        PluginAuthor? author = null;
        PluginOrigin? origin = null;
        List<AgentDefinition>? agents = null;
        List<SkillDefinition>? skills = null;
        List<CommandDefinition>? commands = null;
        List<PluginDependency>? dependencies = null;
        List<PluginFile>? files = null;
        JsonElement? hooks = null, mcpServers = null;
        IReadOnlyDictionary<string, JsonElement>? metadata = null;
        var required = new Required("plugin", PluginRequired);
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (Is(property, "name"u8)) { name = required.Seen(0, cursor.StringOrNull()); }
                else if (Is(property, "version"u8)) { version = cursor.StringOrNull(); }
                else if (Is(property, "description"u8)) { description = cursor.StringOrNull(); }
                else if (Is(property, "author"u8)) { author = cursor.TryNull() ? null : Author(ref cursor); }
                else if (Is(property, "root"u8)) { root = required.Seen(1, cursor.StringOrNull()); }
                else if (Is(property, "origin"u8)) { origin = required.Seen(2, Origin(ref cursor)); }
                else if (Is(property, "manifestFile"u8)) { manifestFile = cursor.StringOrNull(); }
                else if (Is(property, "agents"u8)) { agents = List(ref cursor, (ref JsonCursor c) => Agent(ref c, json)); }
                else if (Is(property, "skills"u8)) { skills = List(ref cursor, (ref JsonCursor c) => Skill(ref c, json)); }
                else if (Is(property, "commands"u8)) { commands = List(ref cursor, (ref JsonCursor c) => Command(ref c, json)); }
                else if (Is(property, "hooks"u8)) { hooks = cursor.TryNull() ? null : cursor.Element(); }
                else if (Is(property, "hooksFile"u8)) { hooksFile = cursor.StringOrNull(); }
                else if (Is(property, "mcpServers"u8)) { mcpServers = cursor.TryNull() ? null : cursor.Element(); }
                else if (Is(property, "mcpServersFile"u8)) { mcpServersFile = cursor.StringOrNull(); }
                else if (Is(property, "dependencies"u8)) { dependencies = List(ref cursor, Dependency); }
                else if (Is(property, "files"u8)) { files = List(ref cursor, File); }
                else if (Is(property, "metadata"u8)) { metadata = Dictionary(ref cursor, json, "metadata"); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        required.Check(ref cursor);
        return new PluginDefinition
        {
            Name = name!,
            Version = version,
            Description = description,
            Author = author,
            Root = root!,
            Origin = origin!.Value,
            ManifestFile = manifestFile,
            Agents = agents ?? [],
            Skills = skills ?? [],
            Commands = commands ?? [],
            Hooks = hooks,
            HooksFile = hooksFile,
            McpServers = mcpServers,
            McpServersFile = mcpServersFile,
            Dependencies = dependencies ?? [],
            Files = files ?? [],
            Metadata = metadata ?? DeferredJsonObject.Empty,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PluginFile File(ref JsonCursor cursor)
    {
        string? path = null, hash = null;
        long size = 0;
        var isSymbolicLink = false;
        var required = new Required("file", FileRequired);
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (Is(property, "path"u8)) { path = required.Seen(0, cursor.StringOrNull()); }
                else if (Is(property, "hash"u8)) { hash = required.Seen(1, cursor.StringOrNull()); }
                else if (Is(property, "size"u8)) { size = required.Seen(2, cursor.Int64()); }
                else if (Is(property, "isSymbolicLink"u8)) { isSymbolicLink = cursor.Boolean(); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        required.Check(ref cursor);
        return new PluginFile { Path = path!, Hash = hash!, Size = size, IsSymbolicLink = isSymbolicLink };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PluginAuthor Author(ref JsonCursor cursor)
    {
        string? name = null, email = null, url = null;
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (Is(property, "name"u8)) { name = cursor.StringOrNull(); }
                else if (Is(property, "email"u8)) { email = cursor.StringOrNull(); }
                else if (Is(property, "url"u8)) { url = cursor.StringOrNull(); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        return new PluginAuthor { Name = name, Email = email, Url = url };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PluginDependency Dependency(ref JsonCursor cursor)
    {
        string? name = null, versionRange = null, marketplace = null;
        var required = new Required("dependency", DependencyRequired);
        if (cursor.StartObject())
        {
            do
            {
                var property = cursor.PropertyName();
                if (Is(property, "name"u8)) { name = required.Seen(0, cursor.StringOrNull()); }
                else if (Is(property, "versionRange"u8)) { versionRange = cursor.StringOrNull(); }
                else if (Is(property, "marketplace"u8)) { marketplace = cursor.StringOrNull(); }
                else { cursor.Skip(); }
            }
            while (cursor.NextMember((byte)'}'));
        }

        required.Check(ref cursor);
        return new PluginDependency { Name = name!, VersionRange = versionRange, Marketplace = marketplace };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static PluginOrigin Origin(ref JsonCursor cursor)
    {
        // Matched by hand: Enum.TryParse with ignoreCase costs more than the rest of a small plugin's parse.
        var text = cursor.String();
        foreach (var origin in Origins)
        {
            if (text.Equals(origin.Name, StringComparison.OrdinalIgnoreCase))
            {
                return origin.Value;
            }
        }

        throw cursor.Error($"'{text}' is not a plugin origin ({string.Join(", ", Origins.Select(o => o.Name))}).");
    }

    /// <summary>An array of <paramref name="read"/>'s values. A JSON <c>null</c> in place of a list is refused: every list of the schema is required to be one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<T> List<T>(ref JsonCursor cursor, ReadValue<T> read)
        where T : class
    {
        var list = new List<T>();
        if (cursor.StartArray())
        {
            do
            {
                list.Add(cursor.TryNull() ? throw cursor.Error($"A {typeof(T).Name} is null.") : read(ref cursor));
            }
            while (cursor.NextMember((byte)']'));
        }

        return list;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<string> Strings(ref JsonCursor cursor)
    {
        var list = new List<string>();
        if (cursor.StartArray())
        {
            do
            {
                list.Add(cursor.StringOrNull()!);
            }
            while (cursor.NextMember((byte)']'));
        }

        return list;
    }

    /// <summary>
    /// An object of free-form values (frontmatter, metadata), checked now and parsed when first read. Most are never read
    /// while a revision is loaded; an empty one is a shared instance.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static IReadOnlyDictionary<string, JsonElement> Dictionary(ref JsonCursor cursor, byte[] json, string what)
    {
        if (!cursor.StartsObject())
        {
            throw cursor.Error($"'{what}' is not an object.");
        }

        var (start, length) = cursor.ValueRange();
        var members = json.AsSpan(start + 1, length - 2); // between the braces
        return members.Trim(" \t\r\n"u8).IsEmpty ? DeferredJsonObject.Empty : new DeferredJsonObject(json, start, length);
    }

    /// <summary>Property names are matched ignoring ASCII case, as the serializer's web defaults do.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Is(ReadOnlySpan<byte> property, ReadOnlySpan<byte> expected) => Ascii.EqualsIgnoreCase(property, expected);

    /// <summary>Which of an object's required properties were present (with any value, null included, as for the serializer).</summary>
    private struct Required(string what, string[] names)
    {
        private int _seen;

        public T Seen<T>(int index, T value)
        {
            _seen |= 1 << index;
            return value;
        }

        public readonly void Check(ref JsonCursor cursor)
        {
            var seen = _seen;
            if (seen != (1 << names.Length) - 1)
            {
                var missing = names.Where((_, i) => (seen & (1 << i)) == 0);
                throw cursor.Error($"A {what} lacks the required propert{(missing.Count() == 1 ? "y" : "ies")} {string.Join(", ", missing.Select(n => $"'{n}'"))}.");
            }
        }
    }
}
