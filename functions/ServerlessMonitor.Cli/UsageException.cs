namespace ServerlessMonitor.Cli;

/// <summary>The command was asked something it cannot do: reported on stderr with exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
