using System.Text;
using System.Text.Json;
using Evergreen.AgentRuntime.Registry;

namespace Evergreen.AgentRuntime.Tests.Registry;

/// <summary>The boundary finder the snapshot loader uses to cut the plugins array into one slice per plugin.</summary>
public sealed class JsonArraySlicerTests
{
    [Theory]
    [InlineData("""[]""", new string[0])]
    [InlineData(""" [  ] """, new string[0])]
    [InlineData("""[{"a":1}]""", new[] { """{"a":1}""" })]
    [InlineData("""[ {"a":1} ,{"b":[1,2,{"c":[]}]} ]""", new[] { """{"a":1}""", """{"b":[1,2,{"c":[]}]}""" })]
    [InlineData("[\r\n\t{\"a\":1}\r\n,\n\t{\"b\":2}\r\n]", new[] { """{"a":1}""", """{"b":2}""" })]
    [InlineData("""[{"s":"a \"quoted\" ] } , word"},{"t":"back\\"}]""", new[] { """{"s":"a \"quoted\" ] } , word"}""", """{"t":"back\\"}""" })]
    [InlineData("""[{"s":"\\\"]"},{"u":"\u0022"}]""", new[] { """{"s":"\\\"]"}""", """{"u":"\u0022"}""" })]
    [InlineData("""[{"s":"\\\\"},{"t":"a\\\"b\\"}]""", new[] { """{"s":"\\\\"}""", """{"t":"a\\\"b\\"}""" })] // runs of backslashes before quotes
    [InlineData("""[[1,[2,3]],[],"x,y]",4,null]""", new[] { """[1,[2,3]]""", "[]", "\"x,y]\"", "4", "null" })]
    public void Slice_WellFormedArray_FindsEachElementExactly(string array, string[] expected)
    {
        var json = Encoding.UTF8.GetBytes(array + ""","after":true}""");
        var elements = new List<(int Start, int Length, bool Known)>();

        var end = JsonArraySlicer.Slice(json, array.IndexOf('[', StringComparison.Ordinal) + 1, elements);

        Assert.Equal(expected, elements.Select(e => Encoding.UTF8.GetString(json, e.Start, e.Length)));
        Assert.Equal(array.LastIndexOf(']') + 1, end);
    }

    [Theory]
    [InlineData("""[{"a":1}""")] // array not closed
    [InlineData("""[{"a":1""")] // object not closed
    [InlineData("""[{"a":"never ends}]""")] // unterminated string swallows the brackets
    [InlineData("""[{"a":"escaped quote at the end\"}]""")]
    [InlineData("""[{"a":"backslash is the last byte\""")]
    [InlineData("""[{"a":1}}]""")] // unbalanced brace
    [InlineData("""[{"a":1},]""")] // trailing comma
    [InlineData("""[,{"a":1}]""")] // missing element
    [InlineData("""[{"a":1},,{"b":2}]""")]
    [InlineData("""[""")]
    [InlineData("")]
    public void Slice_MalformedArray_Throws(string array)
    {
        var json = Encoding.UTF8.GetBytes(array);

        Assert.ThrowsAny<JsonException>(() => JsonArraySlicer.Slice(json, Math.Min(1, json.Length), []));
    }

    [Fact]
    public void Slice_GarbageBetweenElements_StaysInTheSliceForTheParserToReject()
    {
        var json = """[{"a":1} garbage,{"b":2}]"""u8.ToArray();
        var elements = new List<(int Start, int Length, bool Known)>();

        JsonArraySlicer.Slice(json, 1, elements);

        Assert.Equal("""{"a":1} garbage""", Encoding.UTF8.GetString(json, elements[0].Start, elements[0].Length));
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(json.AsMemory(elements[0].Start, elements[0].Length)));
    }

    [Theory]
    [InlineData("""[{"a":1} , {"b":2}]""", new[] { """{"a":1}""", """{"b":2}""" }, new[] { true, false })]
    [InlineData("""[{"a":1}garbage,{"b":2}]""", new[] { """{"a":1}garbage""", """{"b":2}""" }, new[] { false, false })]
    [InlineData("""[{"a":1}]""", new[] { """{"a":1}""" }, new[] { true })]
    public void Slice_KnownValueAtAnElement_IsTakenOnlyWhenTheElementEndsRightAfterIt(string array, string[] expected, bool[] taken)
    {
        var json = Encoding.UTF8.GetBytes(array + "}");
        var known = """{"a":1}"""u8.ToArray();
        var elements = new List<(int Start, int Length, bool Known)>();

        JsonArraySlicer.Slice(json, 1, elements, (_, start) => json.AsSpan(start).StartsWith(known) ? known.Length : 0);

        Assert.Equal(expected, elements.Select(e => Encoding.UTF8.GetString(json, e.Start, e.Length)));
        Assert.Equal(taken, elements.Select(e => e.Known));
    }
}
