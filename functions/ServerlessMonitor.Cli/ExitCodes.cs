namespace ServerlessMonitor.Cli;

/// <summary>What the command's exit code says; System.CommandLine also exits 1 on a parse error.</summary>
internal static class ExitCodes
{
    public const int Passed = 0;
    public const int Usage = 1;
    public const int Failed = 2;
}
