using System.Net;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Evergreen.ServiceDefaults.Tests.Hosting;

public sealed class ProblemDetailsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        await using var server = await TestApp.StartAsync();

        using var response = await server.Client.GetAsync("/does-not-exist", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(404, (await Json.ReadAsync(response)).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task ThrowingEndpoint_Returns500ProblemDetailsWithoutExceptionText()
    {
        await using var server = await TestApp.StartAsync(map: app =>
            app.MapGet("/boom", string () => throw new InvalidOperationException("internal detail 8d1f")));

        using var response = await server.Client.GetAsync("/boom", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("8d1f", await response.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadQueryValue_Returns400ProblemDetails()
    {
        await using var server = await TestApp.StartAsync(map: app => app.MapGet("/items", (int count) => count));

        using var response = await server.Client.GetAsync("/items?count=many", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task EndpointReturningBareStatus_GetsProblemDetailsBody()
    {
        await using var server = await TestApp.StartAsync(map: app => app.MapGet("/conflict", () => Results.StatusCode(409)));

        using var response = await server.Client.GetAsync("/conflict", Token).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
