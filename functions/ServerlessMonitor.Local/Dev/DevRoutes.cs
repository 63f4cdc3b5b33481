using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ServerlessMonitor.Local.Http;

namespace ServerlessMonitor.Local.Dev;

/// <summary>/api/dev/*: what only the local runtime serves (API.md, "Local runtime only").</summary>
public static class DevRoutes
{
    /// <param name="outboxFile">The outbox, one JSON object a line, oldest first.</param>
    public static Dictionary<string, IReadOnlyDictionary<string, RequestDelegate>> For(RegionFaults faults, string outboxFile) => new()
    {
        ["dev/outbox"] = new Dictionary<string, RequestDelegate> { ["GET"] = context => Outbox(context, outboxFile) },
        ["dev/regions/{name}/{state}"] = new Dictionary<string, RequestDelegate> { ["POST"] = context => Region(context, faults) },
    };

    private static async Task Outbox(HttpContext context, string outboxFile)
    {
        var entries = new JsonArray();
        if (File.Exists(outboxFile))
        {
            foreach (var line in await File.ReadAllLinesAsync(outboxFile, context.RequestAborted).ConfigureAwait(false))
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    entries.Add(JsonNode.Parse(line));
                }
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(entries.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static Task Region(HttpContext context, RegionFaults faults)
    {
        var name = (string)context.GetRouteValue("name")!;
        var stateText = (string)context.GetRouteValue("state")!;
        if (!faults.Knows(name))
        {
            return HttpHost.Error(context, StatusCodes.Status404NotFound, "not_found", $"no region named {name}");
        }

        RegionState? state = stateText switch
        {
            "up" => RegionState.Up,
            "down" => RegionState.Down,
            "isolated" => RegionState.Isolated,
            _ => null,
        };
        if (state is null)
        {
            return HttpHost.Error(context, StatusCodes.Status404NotFound, "not_found", $"no region state {stateText}: use up, down or isolated");
        }

        faults.Set(name, state.Value);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

}
