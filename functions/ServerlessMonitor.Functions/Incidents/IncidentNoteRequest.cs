namespace ServerlessMonitor.Functions.Incidents;

/// <summary>The body of POST /api/incidents/&lt;id&gt;/notes.</summary>
/// <param name="Text">1 to 2000 characters.</param>
/// <param name="Public">Shown on the public status pages and feeds that list the monitor; default false (only the owner and receivers read it).</param>
public sealed record IncidentNoteRequest(string Text, bool? Public);
