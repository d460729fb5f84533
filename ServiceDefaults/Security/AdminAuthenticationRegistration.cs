using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Evergreen.ServiceDefaults.Security;

/// <summary>Registers the admin scheme and policy without making either the default.</summary>
internal static class AdminAuthenticationRegistration
{
    public static void AddAdminAuthentication(this IServiceCollection services)
    {
        // No default scheme: the admin scheme runs only for endpoints that RequireAdmin(), so services
        // remain free to add their own schemes (webhook signatures, ...) and proxied or anonymous requests pay nothing
        // for it. Since ASP.NET Core 7 a lone scheme silently becomes the default (and would run on every request);
        // AuthenticationOptions reads this process-wide switch lazily, so setting it here, before any option is built, works.
        AppContext.SetSwitch("Microsoft.AspNetCore.Authentication.SuppressAutoDefaultScheme", isEnabled: true);
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminToken.SchemeName, displayName: null, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminToken.PolicyName, policy => policy
                .AddAuthenticationSchemes(AdminToken.SchemeName)
                .RequireAuthenticatedUser());
    }
}
