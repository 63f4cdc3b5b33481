using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Incidents;
using ServerlessMonitor.Core.Monitors;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Incidents;

/// <summary>POST /api/incidents/&lt;id&gt;/notes: the owner or an accepted receiver annotates an incident.</summary>
public sealed class IncidentNoteFunction(Keys keys, MonitorAccess access, IncidentQueries incidents, ILogger<IncidentNoteFunction> logger)
{
    [Function("incidents-note")]
    [ApiOperation("Add a note to an incident", "incidents", Auth = ApiAuth.Key, Body = typeof(IncidentNoteRequest))]
    [ApiResponse(StatusCodes.Status201Created, "The note", typeof(IncidentNote))]
    [ApiResponse(StatusCodes.Status400BadRequest, "A bad note (validation)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status404NotFound, "No such incident visible to the caller", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "incidents/{id}/notes")] HttpRequest request,
        string id,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<IncidentNoteRequest>();
            var note = await incidents.AddNoteAsync(id, caller.AccountId, body.Text("text", IncidentQueries.MaxNoteLength, required: true), body.Boolean("public", required: false) ?? false, IncidentAccessTo.For(access, caller), cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(StatusCodes.Status201Created, note);
        });
}
