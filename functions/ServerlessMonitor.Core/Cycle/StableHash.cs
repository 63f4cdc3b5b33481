namespace ServerlessMonitor.Core.Cycle;

/// <summary>
/// 32-bit FNV-1a over a string's UTF-16 code units, exactly as the TypeScript cycle computed it
/// (charCodeAt, Math.imul). string.GetHashCode is seeded per process, so it could not place a
/// monitor at the same offset or in the same bucket on every instance and every run; this
/// can, and the C# and TypeScript apps agree while both exist.
/// </summary>
internal static class StableHash
{
    private const uint OffsetBasis = 0x811c9dc5;
    private const uint Prime = 0x01000193;

    public static uint Of(string text)
    {
        var hash = OffsetBasis;
        foreach (var unit in text)
        {
            hash ^= unit;
            hash = unchecked(hash * Prime);
        }

        return hash;
    }
}
