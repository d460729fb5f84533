using System.Text;
using Evergreen.Gateway.Configuration;
using Evergreen.Gateway.Routing;

namespace Evergreen.Gateway.Tests.Routing;

public sealed class StickyAssignmentTests
{
    [Theory]
    [InlineData("", 0x811c9dc5u)]
    [InlineData("a", 0xe40c292cu)]
    [InlineData("foobar", 0xbf9cf968u)]
    public void Hash_ReferenceVectors_MatchFnv1a32(string text, uint expected) =>
        Assert.Equal(expected, StickyAssignment.Hash(text));

    [Theory]
    [InlineData("user-42")]
    [InlineData("jürgen@example.com")]
    [InlineData("用户🙂")]
    public void BucketOf_AnyUserId_IsFnvOfUtf8SeedPlusIdModuloTenThousand(string userId)
    {
        var sticky = new StickyAssignment(new GatewayOptions { StickySeed = "exp-7:" });

        var expected = (int)(StickyAssignment.HashBytes(Encoding.UTF8.GetBytes("exp-7:" + userId)) % 10_000);

        Assert.Equal(expected, sticky.BucketOf(userId));
    }

    [Fact]
    public void BucketOf_ManyUsers_SpreadsOverAllBuckets()
    {
        var sticky = new StickyAssignment(new GatewayOptions());

        var buckets = Enumerable.Range(0, 20_000).Select(i => sticky.BucketOf($"user-{i}")).ToList();

        Assert.All(buckets, b => Assert.InRange(b, 0, 9_999));
        Assert.InRange(buckets.Count(b => b < 5_000) / 20_000.0, 0.47, 0.53);
    }
}
