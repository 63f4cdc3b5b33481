using System.CommandLine;
using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Cli;

/// <summary>
/// `sm probe &lt;target&gt; [--type T] [--timeout S] [--expect JSON] [--json]`: one probe from this
/// machine, printed as a summary with its phases, or as the result JSON of the API. A dnsbl probe
/// reads the SM_DNSBL_* settings and SM_SPAMHAUS_DQS_KEY from the environment, as the app does.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "https://example.com/health, mail.example.com:25, example.com, …" };
        var type = new Option<string?>("--type", "-t") { Description = $"{string.Join(", ", ProbeTypes.All.Select(ProbeTypes.Name))}; default: http(s) for URLs, tcp for host:port, ping for a bare host" };
        var timeout = new Option<double?>("--timeout") { Description = $"seconds for the whole probe (default {ProbeInvocation.DefaultTimeoutSeconds}, at most {ProbeInvocation.MaxTimeoutSeconds})" };
        var expect = new Option<string?>("--expect", "-e") { Description = "the monitor's type-specific checks as JSON, e.g. '{\"keyword\":\"OK\"}' or '{\"recordType\":\"MX\"}'" };
        var json = new Option<bool>("--json") { Description = "print the result as JSON (the API's result shape)" };
        var command = new Command("probe", "Probe one target once from this machine. Exit code: 0 passed, 2 failed, 1 bad usage. SM_ALLOW_PRIVATE_TARGETS=false applies the production address policy.")
        {
            target,
            type,
            timeout,
            expect,
            json,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            ProbeInvocation invocation;
            try
            {
                invocation = ProbeInvocation.Parse(parsed.GetRequiredValue(target), parsed.GetValue(type), parsed.GetValue(timeout), parsed.GetValue(expect), parsed.GetValue(json), Environment.GetEnvironmentVariable);
            }
            catch (UsageException error)
            {
                await Console.Error.WriteLineAsync($"probe: {error.Message}\nRun 'sm probe --help' for usage.");
                return ExitCodes.Usage;
            }

            return await RunAsync(invocation, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ProbeInvocation invocation, CancellationToken cancellationToken)
    {
        await Warmup.RunAsync(cancellationToken);
        var options = new ProbeOptions { AllowPrivateTargets = invocation.AllowPrivateTargets, Dnsbl = invocation.Dnsbl.ToOptions(TimeProvider.System) };
        var prober = new Prober(new ProbeNetwork(), options, TimeProvider.System);
        var at = DateTimeOffset.UtcNow;
        var result = await prober.ProbeAsync(invocation.Spec, cancellationToken);
        await Console.Out.WriteLineAsync(invocation.Json ? ProbeReport.Json(invocation, at, result) : ProbeReport.Summary(invocation, result));
        return result.Ok ? ExitCodes.Passed : ExitCodes.Failed;
    }
}
