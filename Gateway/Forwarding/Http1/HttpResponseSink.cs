using System.Text;
using Microsoft.Net.Http.Headers;

namespace Evergreen.Gateway.Forwarding.Http1;

/// <summary>
/// Copies a destination's response into the client's <see cref="HttpResponse"/>. Header values are strings there, so the
/// last value of each common header is remembered per thread and reused while its bytes repeat: a destination sends the
/// same <c>Content-Type</c> and <c>Server</c> on every response, and its <c>Date</c> changes once a second.
/// </summary>
internal readonly struct HttpResponseSink(HttpResponse response) : IResponseSink
{
    private static readonly string[] KnownNames =
    [
        HeaderNames.ContentType, HeaderNames.Date, HeaderNames.Server, HeaderNames.CacheControl, HeaderNames.SetCookie,
        HeaderNames.Location, HeaderNames.ETag, HeaderNames.LastModified, HeaderNames.Vary, HeaderNames.ContentEncoding,
        HeaderNames.Expires, HeaderNames.Pragma, HeaderNames.RetryAfter, HeaderNames.WWWAuthenticate, HeaderNames.Allow,
        HeaderNames.ContentLanguage, HeaderNames.ContentDisposition, HeaderNames.AccessControlAllowOrigin,
        HeaderNames.XContentTypeOptions, HeaderNames.TraceParent, HeaderNames.RequestId, "X-Evergreen-Revision",
        "X-Evergreen-Replica", "X-Request-Id",
    ];

    [ThreadStatic]
    private static string?[]? t_valueCache;

    public long? ContentLength
    {
        get => response.ContentLength;
        set => response.ContentLength = value;
    }

    public void SetStatus(int statusCode) => response.StatusCode = statusCode;

    public void AddHeader(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var (nameText, valueText) = Strings(name, value);
        response.Headers.Append(nameText, valueText);
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) =>
        response.Body.WriteAsync(data, cancellationToken);

    private static (string Name, string Value) Strings(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        var valueCache = t_valueCache ??= new string?[KnownNames.Length];
        for (var i = 0; i < KnownNames.Length; i++)
        {
            if (name.Length == KnownNames[i].Length && Ascii.EqualsIgnoreCase(name, KnownNames[i]))
            {
                var cached = valueCache[i];
                if (cached is null || !Ascii.Equals(value, cached))
                {
                    cached = valueCache[i] = Encoding.Latin1.GetString(value);
                }

                return (KnownNames[i], cached);
            }
        }

        return (Encoding.Latin1.GetString(name), Encoding.Latin1.GetString(value));
    }
}
