using System.Globalization;

namespace ServerlessMonitor.Core.Storage;

/// <summary>
/// Queue <c>retention-rounds</c>: one message per further round of a retention run that had more
/// to delete than one round may; its text is the round's number (the first continuation is 2).
/// </summary>
public sealed class RetentionQueue(StorageClients clients)
{
    public async Task ScheduleAsync(int round, TimeSpan delay, CancellationToken cancellationToken) =>
        await clients.Queue(StorageNames.RetentionRounds)
            .SendMessageAsync(round.ToString(CultureInfo.InvariantCulture), delay, cancellationToken: cancellationToken)
            .ConfigureAwait(false);

    /// <summary>The round a message names; null when the text is not one of ours.</summary>
    public static int? Parse(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var round) && round > 1 ? round : null;
}
