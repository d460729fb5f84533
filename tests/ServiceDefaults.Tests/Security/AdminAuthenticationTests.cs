using System.Net;
using System.Net.Http.Headers;
using Evergreen.ServiceDefaults.Tests.TestSupport;
using Evergreen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Evergreen.ServiceDefaults.Tests.Security;

public sealed class AdminAuthenticationTests
{
    private const string Token = "s3cr3t-admin-token-0123456789";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RequireAdmin_NoAuthorizationHeader_Returns401ProblemWithBearerChallenge()
    {
        await using var server = await StartAsync(Token);

        using var response = await server.Client.GetAsync("/admin/ping", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        var problem = await Json.ReadAsync(response);
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3cr3t-admin-token-0123456788")] // same length, last character differs
    [InlineData("s3cr3t-admin-token")] // a prefix of the token
    [InlineData("s3cr3t-admin-token-0123456789-and-more")] // the token plus more
    [InlineData("S3CR3T-ADMIN-TOKEN-0123456789")] // case differs
    public async Task RequireAdmin_WrongToken_Returns401InvalidToken(string presented)
    {
        await using var server = await StartAsync(Token);

        using var response = await SendAsync(server, "/admin/ping", presented);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("invalid_token", challenge.Parameter, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAdmin_CorrectToken_Returns200()
    {
        await using var server = await StartAsync(Token);

        using var response = await SendAsync(server, "/admin/ping", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong admin", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task RequireAdmin_OnGroup_ProtectsEveryEndpointOfTheGroup()
    {
        await using var server = await StartAsync(Token);

        using var anonymous = await server.Client.GetAsync("/admin/group/a", Cancellation).DefaultTimeout();
        using var admin = await SendAsync(server, "/admin/group/a", Token);
        using var open = await server.Client.GetAsync("/public", Cancellation).DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, admin.StatusCode);
        Assert.Equal(HttpStatusCode.OK, open.StatusCode);
    }

    [Fact]
    public async Task PublicEndpoint_WithAdminToken_DoesNotRunTheAdminScheme()
    {
        // The scheme must not become the default: proxied and public requests would otherwise pay for it on every call.
        await using var server = await StartAsync(Token);

        using var response = await SendAsync(server, "/public/who", Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("authenticated=False", await response.Content.ReadAsStringAsync(Cancellation));
    }

    [Fact]
    public async Task RequireAdmin_NoTokenConfigured_Returns401SayingTokenIsNotConfigured()
    {
        await using var server = await StartAsync(configuredToken: null);

        using var withGuess = await SendAsync(server, "/admin/ping", "anything");
        using var withEmpty = await SendAsync(server, "/admin/ping", string.Empty);

        Assert.Equal(HttpStatusCode.Unauthorized, withGuess.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withEmpty.StatusCode);
        var problem = await Json.ReadAsync(withGuess);
        Assert.Contains("no admin token is configured", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Evergreen__AdminToken", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequireAdmin_RightAndWrongTokens_NeverAppearInLogs()
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await StartAsync(Token, logs);

        using var wrong = await SendAsync(server, "/admin/ping", "wrong-token-value-abcdef");
        using var right = await SendAsync(server, "/admin/ping", Token);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.NotEmpty(logs.Messages);
        Assert.DoesNotContain(logs.Messages, m => m.Contains(Token, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Messages, m => m.Contains("wrong-token-value-abcdef", StringComparison.Ordinal));
    }

    private static Task<TestApp> StartAsync(string? configuredToken, CapturingLoggerProvider? logs = null) => TestApp.StartAsync(
        settings: new Dictionary<string, string?>
        {
            ["Evergreen:AdminToken"] = configuredToken,
            ["Logging:LogLevel:Default"] = "Trace",
        },
        configure: b =>
        {
            if (logs is not null)
            {
                b.Logging.AddProvider(logs);
            }
        },
        map: app =>
        {
            app.MapGet("/admin/ping", (HttpContext context) => $"pong {context.User.Identity?.Name}").RequireAdmin();
            var group = app.MapGroup("/admin/group").RequireAdmin();
            group.MapGet("/a", () => "a");
            app.MapGet("/public", () => "open");
            app.MapGet("/public/who", (HttpContext context) => $"authenticated={context.User.Identity?.IsAuthenticated ?? false}");
        });

    private static async Task<HttpResponseMessage> SendAsync(TestApp server, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await server.Client.SendAsync(request, Cancellation).DefaultTimeout();
        await response.Content.LoadIntoBufferAsync(Cancellation);
        return response;
    }
}
