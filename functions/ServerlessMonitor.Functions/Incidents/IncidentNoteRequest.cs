namespace ServerlessMonitor.Functions.Incidents;

/// <summary>The body of POST /api/incidents/&lt;id&gt;/notes.</summary>
/// <param name="Text">1 to 2000 characters.</param>
public sealed record IncidentNoteRequest(string Text);
