using System.Buffers;
using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Evergreen.AppHost.Telemetry;

/// <summary>Reads an OTLP/HTTP request body: checks the media type, undoes gzip, and caps the decoded size.</summary>
internal static class OtlpPayload
{
    public const long MaxRequestBytes = 32L * 1024 * 1024;
    public const int MaxDecodedBytes = 64 * 1024 * 1024;
    public const string ProtobufMediaType = "application/x-protobuf";

    public static async Task<(ReadOnlyMemory<byte> Payload, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!IsProtobuf(request.ContentType))
        {
            return (default, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"This receiver speaks OTLP/HTTP with binary protobuf only (Content-Type: {ProtobufMediaType}), not '{request.ContentType}'. Set the exporter's protocol to http/protobuf."));
        }

        var encoding = request.Headers.ContentEncoding.ToString().Trim();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            return (default, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding",
                $"Content-Encoding '{encoding}' is not supported; send the body uncompressed or gzip-compressed."));
        }

        // Only the gzip wrapper is ours to dispose; the request body belongs to the server.
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase) ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        await using (gzip)
        {
            var body = new MemoryStream();
            var chunk = ArrayPool<byte>.Shared.Rent(81_920);
            try
            {
                int read;
                while ((read = await (gzip ?? request.Body).ReadAsync(chunk, cancellationToken)) > 0)
                {
                    if (body.Length + read > MaxDecodedBytes)
                    {
                        return (default, Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large",
                            $"The decoded body exceeds {MaxDecodedBytes / (1024 * 1024)} MiB; export smaller batches."));
                    }

                    body.Write(chunk, 0, read);
                }
            }
            catch (InvalidDataException ex)
            {
                return (default, Problem(StatusCodes.Status400BadRequest, "Malformed gzip body", $"The body is not valid gzip: {ex.Message}"));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }

            return (body.GetBuffer().AsMemory(0, (int)body.Length), null);
        }
    }

    public static ProblemHttpResult Problem(int statusCode, string title, string detail) =>
        TypedResults.Problem(title: title, detail: detail, statusCode: statusCode);

    private static bool IsProtobuf(string? contentType) =>
        string.IsNullOrEmpty(contentType)
        || (MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
            && (mediaType.MediaType.Equals(ProtobufMediaType, StringComparison.OrdinalIgnoreCase)
                || mediaType.MediaType.Equals("application/protobuf", StringComparison.OrdinalIgnoreCase)));
}
