using System.Text.Json.Nodes;
using ServerlessMonitor.Local.Hosting;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>
/// The two runtimes host the same functions: the functions.metadata that the Worker SDK writes
/// for the App (what the Azure Functions host indexes) lists exactly what the local runtime
/// discovers, with the same triggers, routes, methods, schedules and queues.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Dictionary<string, FunctionKind> Triggers = new()
    {
        ["httpTrigger"] = FunctionKind.Http,
        ["timerTrigger"] = FunctionKind.Timer,
        ["queueTrigger"] = FunctionKind.Queue,
        ["orchestrationTrigger"] = FunctionKind.Orchestration,
        ["activityTrigger"] = FunctionKind.Activity,
    };

    [Fact]
    public void The_app_build_lists_exactly_the_functions_the_local_runtime_hosts()
    {
        var file = Repo.PathOf("functions", "ServerlessMonitor.App", "bin", Repo.Configuration, "net10.0", "functions.metadata");
        Assert.True(File.Exists(file), $"{file} is missing: build functions/ServerlessMonitor.App first");
        var azure = JsonNode.Parse(File.ReadAllText(file))!.AsArray().Select(Describe).OrderBy(d => d, StringComparer.Ordinal).ToArray();

        var local = FunctionCatalog.Discover(new ServerlessMonitor.Local.LocalRuntimeOptions().FunctionAssemblies)
            .Select(Describe)
            .OrderBy(d => d, StringComparer.Ordinal)
            .ToArray();

        Assert.NotEmpty(local);
        Assert.Equal(azure, local);
    }

    [Fact]
    public void The_app_build_is_a_deployable_isolated_worker()
    {
        var output = Repo.PathOf("functions", "ServerlessMonitor.App", "bin", Repo.Configuration, "net10.0");
        var worker = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "worker.config.json")))!;
        Assert.Equal("dotnet-isolated", (string?)worker["description"]!["language"]);
        Assert.Equal("ServerlessMonitor.App.dll", (string?)worker["description"]!["defaultWorkerPath"]);
        Assert.True(File.Exists(Path.Combine(output, "host.json")));
        Assert.True(File.Exists(Path.Combine(output, "extensions.json")));
        Assert.True(File.Exists(Path.Combine(output, ".azurefunctions", "Microsoft.Azure.Functions.Worker.Extensions.dll")), "the extensions payload is missing");
    }

    private static string Describe(JsonNode? function)
    {
        var trigger = function!["bindings"]!.AsArray().Single(b => ((string?)b!["type"])!.EndsWith("Trigger", StringComparison.Ordinal))!;
        var kind = Triggers[(string)trigger["type"]!];
        return kind switch
        {
            FunctionKind.Http => $"{function["name"]} http {string.Join(",", trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()))} {trigger["route"]}",
            FunctionKind.Timer => $"{function["name"]} timer {trigger["schedule"]}",
            FunctionKind.Queue => $"{function["name"]} queue {trigger["queueName"]}",
            _ => $"{function["name"]} {kind.ToString().ToLowerInvariant()}",
        };
    }

    private static string Describe(FunctionEntry f) => f.Kind switch
    {
        FunctionKind.Http => $"{f.Name} http {string.Join(",", f.Methods)} {f.Route}",
        FunctionKind.Timer => $"{f.Name} timer {f.Schedule}",
        FunctionKind.Queue => $"{f.Name} queue {f.QueueName}",
        _ => $"{f.Name} {f.Kind.ToString().ToLowerInvariant()}",
    };
}
