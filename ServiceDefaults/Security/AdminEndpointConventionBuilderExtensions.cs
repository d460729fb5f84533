using Evergreen.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

/// <summary>Protects endpoints with the admin bearer token.</summary>
public static class AdminEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Requires <c>Authorization: Bearer &lt;token&gt;</c> matching <c>Evergreen:AdminToken</c>
    /// (environment <c>Evergreen__AdminToken</c>). A missing or wrong token gets 401 with a problem-details body and
    /// <c>WWW-Authenticate: Bearer</c>; when no token is configured every request gets 401 saying so. Works on a single
    /// endpoint or a <see cref="Microsoft.AspNetCore.Routing.RouteGroupBuilder"/>. Requires <c>AddServiceDefaults</c>.
    /// </summary>
    /// <typeparam name="TBuilder">The endpoint convention builder type.</typeparam>
    /// <param name="builder">The endpoint or group.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static TBuilder RequireAdmin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AdminToken.PolicyName);
}
