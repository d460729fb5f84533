using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Evergreen.ServiceDefaults.Security;

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;token&gt;</c> against <c>Evergreen:AdminToken</c>, read per request so
/// a rotated token applies at once. With no token configured every admin request is refused: never open.
/// Nothing here logs the presented or the expected token.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IConfiguration configuration,
    IProblemDetailsService problemDetails)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    private const string BearerPrefix = "Bearer ";
    private Failure _failure = Failure.MissingToken;

    private enum Failure
    {
        MissingToken,
        InvalidToken,
        NotConfigured,
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var expected = configuration[AdminToken.ConfigurationKey];
        if (string.IsNullOrEmpty(expected))
        {
            _failure = Failure.NotConfigured;
            return Task.FromResult(AuthenticateResult.Fail("No admin token is configured."));
        }

        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            _failure = Failure.MissingToken;
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!AdminToken.Matches(header[BearerPrefix.Length..].Trim(), expected))
        {
            _failure = Failure.InvalidToken;
            return Task.FromResult(AuthenticateResult.Fail("The admin token is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, "admin")], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = _failure == Failure.InvalidToken ? "Bearer error=\"invalid_token\"" : "Bearer";
        await problemDetails.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Admin authentication required",
                Detail = _failure switch
                {
                    Failure.NotConfigured =>
                        "Admin endpoints are disabled because no admin token is configured: set Evergreen__AdminToken (configuration key Evergreen:AdminToken).",
                    Failure.InvalidToken => "The admin token is not valid.",
                    _ => "This endpoint needs the header 'Authorization: Bearer <admin token>'.",
                },
            },
        });
    }
}
