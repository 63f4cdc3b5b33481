using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// Reads a request's JSON body; every way it can be wrong is a 4xx: 415 for a content-type that
/// is not JSON (none at all is accepted), 413 over 64 KiB, 400 invalid_json for an empty or
/// malformed body, 400 validation for anything but an object.
/// </summary>
public static partial class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<BodyObject> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentType is { } type && !JsonMediaType().IsMatch(type.Trim()))
        {
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "send the body as application/json");
        }

        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        var bytes = await ReadUpToAsync(request.Body, MaxBytes + 1, cancellationToken).ConfigureAwait(false);
        if (bytes.Length > MaxBytes)
        {
            throw TooLarge();
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, "invalid_json", bytes.Length == 0 ? "a JSON body is required" : "the body is not valid JSON");
        }

        return root.ValueKind == JsonValueKind.Object ? new BodyObject(root, null) : throw ApiProblem.Invalid("expected a JSON object", null);
    }

    private static async Task<byte[]> ReadUpToAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while (buffer.Length < limit && (read = await body.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, limit - buffer.Length)), cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiProblem TooLarge() => new(StatusCodes.Status413PayloadTooLarge, "payload_too_large", $"the body is larger than {MaxBytes} bytes");

    [GeneratedRegex(@"^application/([a-z0-9.+-]*\+)?json\b", RegexOptions.IgnoreCase)]
    private static partial Regex JsonMediaType();
}
