using System.Text.Json.Serialization;

namespace ServerlessMonitor.Core.StatusPages;

/// <summary>A monitor on a page; <paramref name="DisplayName"/>, when given, is all the page says of it (its name and target stay hidden).</summary>
public sealed record StatusPageMonitor(
    string Id,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? DisplayName);
