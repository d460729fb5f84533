using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class StreamSessionTests
{
    private static readonly DestinationCatalog Catalog = new(
    [
        new DestinationDefinition(0, "agentruntime-blue", "blue", "http://127.0.0.1:1", 50),
        new DestinationDefinition(0, "agentruntime-blue-2", "blue-2", "http://127.0.0.1:2", 50),
        new DestinationDefinition(0, "agentruntime-green", "green", "http://127.0.0.1:3", 50),
    ]);

    [Theory]
    [InlineData("blue.abc", "agentruntime-blue")]
    [InlineData("BLUE_abc", "agentruntime-blue")]
    [InlineData("blue-2-abc", "agentruntime-blue-2")]
    [InlineData("agentruntime-green:abc", "agentruntime-green")]
    [InlineData("green~x", "agentruntime-green")]
    public void OwnerIndex_NamedReplica_FindsTheLongestMatch(string sessionId, string expected) =>
        Assert.Equal(Catalog.IndexOf(expected), StreamSession.OwnerIndex(sessionId, Catalog));

    [Theory]
    [InlineData("blue")]
    [InlineData("blue.")]
    [InlineData("bluex.abc")]
    [InlineData("red.abc")]
    [InlineData("")]
    public void OwnerIndex_NoOwnerNamed_IsMinusOne(string sessionId) =>
        Assert.Equal(-1, StreamSession.OwnerIndex(sessionId, Catalog));
}
