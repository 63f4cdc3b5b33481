using System.Collections.Concurrent;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Functions.Durable;

namespace ServerlessMonitor.Tests.TestFunctions;

/// <summary>
/// Functions of the tests' own, hosted by the local runtime next to the app's, to exercise what
/// the app does not use yet or must not be made to do on purpose (fail, wait for a signal).
/// </summary>
public static class SampleFunctions
{
    public const string Flow = "sample-flow";
    public const string Greet = "sample-greet";
    public const string Flaky = "sample-flaky";
    public const string JobsQueue = "sample-jobs";
    public const string Inbox = "sample-inbox";
    public const string Hold = "sample-hold";

    /// <summary>Gates the <see cref="Hold"/> activity waits on, by key: the test opens them.</summary>
    public static ConcurrentDictionary<string, TaskCompletionSource> Gates { get; } = new();

    /// <summary>Attempts per key, written by the activity and queue functions below.</summary>
    public static ConcurrentDictionary<string, int> Attempts { get; } = new();

    /// <summary>(key, region) of every timer run.</summary>
    public static ConcurrentQueue<(string Key, string Region, TimerInfo Info)> Ticks { get; } = new();

    /// <summary>An activity, a durable timer and an external event, in that order.</summary>
    [Function(Flow)]
    public static async Task<string> RunFlow([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<FlowInput>() ?? throw new InvalidOperationException("no input");
        var greeting = await context.CallActivityAsync<string>(Greet, input.Name);
        await context.CreateTimer(context.CurrentUtcDateTime.AddMilliseconds(input.TimerMilliseconds), CancellationToken.None);
        string flaky;
        try
        {
            flaky = await context.CallActivityAsync<string>(Flaky, input.FlakyKey, new TaskOptions(new TaskRetryOptions(new RetryPolicy(3, TimeSpan.FromMilliseconds(100)))));
        }
        catch (TaskFailedException e)
        {
            flaky = $"failed: {e.FailureDetails.ErrorType}: {e.FailureDetails.ErrorMessage}";
        }

        context.SetCustomStatus("waiting");
        var answer = await context.WaitForExternalEvent<string>("go");
        return $"{greeting}; {flaky}; {answer}";
    }

    [Function(Greet)]
    public static string RunGreet([ActivityTrigger] string name) => $"hello {name}";

    /// <summary>Fails the first N tries, N taken from the key's last character ("x2" fails twice).</summary>
    [Function(Flaky)]
    public static string RunFlaky([ActivityTrigger] string key)
    {
        var attempt = Attempts.AddOrUpdate(key, 1, (_, n) => n + 1);
        var failures = key[^1] - '0';
        return attempt <= failures ? throw new InvalidOperationException($"{key} try {attempt} fails") : $"{key} ok after {attempt}";
    }

    [Function("sample-job")]
    public static void RunJob([QueueTrigger(JobsQueue)] string message)
    {
        var attempt = Attempts.AddOrUpdate(message, 1, (_, n) => n + 1);
        if (message.StartsWith("fail", StringComparison.Ordinal) && attempt <= message[^1] - '0')
        {
            throw new InvalidOperationException($"{message} try {attempt} fails");
        }
    }

    [Function("sample-tick")]
    public static void RunTick([TimerTrigger("0 * * * * *")] TimerInfo info, FunctionContext context)
    {
        var config = context.InstanceServices.GetRequiredService<MonitorConfig>();
        Ticks.Enqueue((config.TaskHub, config.Region, info));
    }

    /// <summary>
    /// Takes events through an <see cref="EventInbox{T}"/> the way the incident orchestrator does:
    /// a short deadline that often wins, an activity per event that may be held open while more
    /// events arrive, and continue-as-new every few events. Returns the events in the order seen.
    /// </summary>
    [Function(Inbox)]
    public static async Task<string?> RunInbox([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        var input = context.GetInput<InboxInput>() ?? throw new InvalidOperationException("no input");
        var inbox = new EventInbox<InboxNews>(context, "news");
        var seen = input.Seen.ToList();
        var turns = 0;
        while (seen.Count < input.Expected)
        {
            if (turns >= input.TurnsPerExecution && !inbox.IsWaiting)
            {
                context.ContinueAsNew(input with { Seen = seen }, preserveUnprocessedEvents: true);
                return null;
            }

            turns++;
            var news = await inbox.NextAsync(input.TickMilliseconds > 0 ? context.CurrentUtcDateTime.AddMilliseconds(input.TickMilliseconds) : null);
            if (news is null)
            {
                await context.CallActivityAsync<string>(Greet, "tick");
                continue;
            }

            seen.Add(news.Name);
            context.SetCustomStatus(string.Join(",", seen));
            await context.CallActivityAsync(Hold, $"{context.InstanceId}:{news.Name}");
        }

        return string.Join(",", seen);
    }

    [Function(Hold)]
    public static Task RunHold([ActivityTrigger] string key) =>
        Gates.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public sealed record InboxInput(int Expected, int TurnsPerExecution, int TickMilliseconds, IReadOnlyList<string> Seen);

    public sealed record InboxNews(string Name);

    public sealed record FlowInput(string Name, int TimerMilliseconds, string FlakyKey);
}
