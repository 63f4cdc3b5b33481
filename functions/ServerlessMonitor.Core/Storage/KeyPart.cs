namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Refuses what cannot be part of a key: '|' separates the parts (a monitor id holding one
/// would run into its neighbours' key range), and Table Storage forbids '/', '\', '#', '?'
/// and control characters in keys.
/// </summary>
internal static class KeyPart
{
    public static string Checked(string value, string name)
    {
        if (value.Length == 0 || value.Any(c => c is '|' or '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException($"'{value}' cannot be part of a table key", name);
        }

        return value;
    }
}
