using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace Evergreen.ServiceDefaults.Security;

/// <summary>Registers the admin scheme and policy without making either the default.</summary>
internal static class AdminAuthenticationRegistration
{
    public static void AddAdminAuthentication(this IServiceCollection services)
    {
        // No default scheme: the admin scheme runs only for endpoints that RequireAdmin(), so services
        // remain free to add their own schemes (webhook signatures, ...).
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, AdminTokenAuthenticationHandler>(AdminToken.SchemeName, displayName: null, configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AdminToken.PolicyName, policy => policy
                .AddAuthenticationSchemes(AdminToken.SchemeName)
                .RequireAuthenticatedUser());
    }
}
