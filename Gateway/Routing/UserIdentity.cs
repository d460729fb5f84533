using System.Diagnostics.CodeAnalysis;

namespace Evergreen.Gateway.Routing;

/// <summary>Where a request names its user for sticky routing: <c>X-User-Id</c>, else the <c>evergreen-uid</c> cookie.</summary>
internal static class UserIdentity
{
    public const string HeaderName = "X-User-Id";
    public const string CookieName = "evergreen-uid";

    /// <summary>The request's user, or null.</summary>
    public static string? Of(HttpRequest request) => TryGet(request, out var userId) ? userId : null;

    public static bool TryGet(HttpRequest request, [NotNullWhen(true)] out string? userId)
    {
        var header = request.Headers[HeaderName];
        if (header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            userId = header[0]!;
            return true;
        }

        // Reading Cookies parses the header; skip it entirely for the common case of no cookies.
        if (request.Headers.Cookie.Count > 0 && request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            userId = cookie;
            return true;
        }

        userId = null;
        return false;
    }
}
