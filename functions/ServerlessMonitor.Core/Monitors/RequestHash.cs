using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A hash of a JSON request that ignores the order of object fields and whitespace, so that a
/// retried request is recognised even through a client that re-serialises it, while any change
/// of a value makes a different request. It reads the bytes as sent, never as text: a body that
/// is valid JSON but not valid Unicode still hashes (and is then refused by validation).
/// </summary>
internal static class RequestHash
{
    public static string Of(JsonElement body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Add(hash, body);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Add(IncrementalHash hash, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                Mark(hash, (byte)'{');
                foreach (var (name, item) in value.EnumerateObject()
                    .Select(p => (Name: JsonMarshal.GetRawUtf8PropertyName(p).ToArray(), p.Value))
                    .OrderBy(p => Convert.ToHexString(p.Name), StringComparer.Ordinal))
                {
                    Chunk(hash, name);
                    Add(hash, item);
                }

                Mark(hash, (byte)'}');
                break;
            case JsonValueKind.Array:
                Mark(hash, (byte)'[');
                foreach (var item in value.EnumerateArray())
                {
                    Add(hash, item);
                }

                Mark(hash, (byte)']');
                break;
            default:
                Chunk(hash, JsonMarshal.GetRawUtf8Value(value));
                break;
        }
    }

    private static void Mark(IncrementalHash hash, byte mark) => hash.AppendData([mark]);

    /// <summary>Length first, so that no two sequences of names and values run together into the same bytes.</summary>
    private static void Chunk(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
