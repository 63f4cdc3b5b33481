namespace ServerlessMonitor.Core.Storage;

/// <summary>Row keys from <see cref="From"/> (inclusive) up to <see cref="Before"/> (exclusive), as a range query asks for them.</summary>
public sealed record RowKeyRange(string From, string Before);
