using System.Security.Cryptography;
using System.Text;

namespace ServerlessMonitor.Core.Accounts;

/// <summary>
/// Identifiers: a one-letter kind and 20 of [a-z0-9] (about 103 bits). Safe in a URL path, a
/// table key and an API key, so a path segment that does not look like one is answered 404
/// before storage is asked.
/// </summary>
public static class Ids
{
    public const char Account = 'a';
    public const char Channel = 'c';
    public const char Key = 'k';
    public const char Monitor = 'm';
    public const char Confirmation = 'f';

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private const int Length = 20;

    public static string New(char kind) => Encode(kind, RandomNumberGenerator.GetBytes(Length));

    /// <summary>An id derived from stable facts, so that making the same thing twice hits the same row.</summary>
    public static string Derived(char kind, params string[] parts) =>
        Encode(kind, SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\0', parts))));

    public static bool Is(string? value, char kind) =>
        value is { Length: Length + 1 } && value[0] == kind && value.AsSpan(1).IndexOfAnyExcept(Alphabet) < 0;

    /// <summary>SHA-256 hex: the storage key of an address, so addresses are never keys themselves.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Encode(char kind, byte[] bytes)
    {
        // A byte modulo 36 leans very slightly toward the first letters; 103 bits leave plenty.
        var chars = new char[Length + 1];
        chars[0] = kind;
        for (var i = 0; i < Length; i++)
        {
            chars[i + 1] = Alphabet[bytes[i] % Alphabet.Length];
        }

        return new string(chars);
    }
}
