using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// A client's Idempotency-Key header: 1–200 visible ASCII characters. Only its hash is stored,
/// so whatever a client puts in it never becomes a table key.
/// </summary>
public sealed record IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    private IdempotencyKey(string hash)
    {
        Hash = hash;
    }

    /// <summary>SHA-256 hex of the key, scoped to nothing: the store keeps keys per account.</summary>
    public string Hash { get; }

    /// <summary>The key of a request, null without the header; a malformed one is refused before the body is read.</summary>
    public static IdempotencyKey? Parse(string? header)
    {
        if (header is null)
        {
            return null;
        }

        return header.Length is >= 1 and <= 200 && header.All(c => c is >= '!' and <= '~')
            ? new IdempotencyKey(Ids.Sha256Hex(header))
            : throw Refusal.Invalid("Idempotency-Key must be 1 to 200 visible ASCII characters", Header);
    }
}
