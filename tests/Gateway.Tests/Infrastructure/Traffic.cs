namespace Evergreen.Gateway.Tests.Infrastructure;

/// <summary>Client load for routing assertions.</summary>
internal static class Traffic
{
    /// <summary>Sends <paramref name="count"/> GETs, eight at a time, and counts them by <c>X-Evergreen-Destination</c>.</summary>
    /// <param name="gateway">The gateway.</param>
    /// <param name="count">How many requests.</param>
    /// <param name="withUsers">Gives request i the user id <c>user-i</c>.</param>
    public static async Task<Dictionary<string, int>> SendManyAsync(GatewayTestHost gateway, int count, bool withUsers = false)
    {
        var results = new string?[count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
            async (i, cancellationToken) =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/agents/{i}");
                if (withUsers)
                {
                    request.Headers.Add("X-User-Id", $"user-{i}");
                }

                using var response = await gateway.Client.SendAsync(request, cancellationToken);
                Assert.Equal(200, (int)response.StatusCode);
                results[i] = GatewayTestHost.DestinationOf(response);
            }).DefaultTimeout(TimeSpan.FromSeconds(60));

        return results.GroupBy(d => d ?? "(none)").ToDictionary(g => g.Key, g => g.Count());
    }
}
