using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Functions.Http;

/// <summary>
/// A JSON object from a request, read field by field. The first problem is a 400 naming the
/// field by its dotted path; nested objects read the same way with their path as prefix.
/// </summary>
public sealed class BodyObject(JsonElement element, string? path)
{
    /// <summary>The object itself, for a domain that reads its own nested shapes (monitors: expect, escalation).</summary>
    public JsonElement Element => element;

    /// <summary>
    /// Refuses keys that <typeparamref name="T"/> (the request record the OpenAPI document
    /// describes) does not declare: objects are strict, so a typo is an error, not a silent default.
    /// </summary>
    public BodyObject Strict<T>()
    {
        var known = ((JsonTypeInfo)ApiJson.Options.GetTypeInfo(typeof(T))).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = element.EnumerateObject().Select(p => p.Name).Where(n => !known.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? this
            : throw ApiProblem.Invalid($"unknown field{(unknown.Count > 1 ? "s" : string.Empty)}: {string.Join(", ", unknown)}", path);
    }

    /// <summary>A string field; null when absent (or null) and not required.</summary>
    public string? String(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw ApiProblem.Invalid("expected a string", PathOf(name));
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate: valid JSON, not text.
            throw ApiProblem.Invalid("the string is not valid Unicode", PathOf(name));
        }
    }

    /// <summary>A name or label: one line of 1–<paramref name="max"/> characters, trimmed.</summary>
    public string? Text(string name, int max, bool required)
    {
        if (String(name, required) is not { } text)
        {
            return null;
        }

        var (value, problem) = PlainText.Check(text, max, name);
        return value ?? throw ApiProblem.Invalid(problem!, PathOf(name));
    }

    /// <summary>A true/false field; null when absent (or null) and not required.</summary>
    public bool? Boolean(string name, bool required)
    {
        if (!Present(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiProblem.Invalid("expected true or false", PathOf(name)),
        };
    }

    /// <summary>The dotted path of a field of this object, for a problem found after reading it.</summary>
    public string PathOf(string name) => path is null ? name : $"{path}.{name}";

    private bool Present(string name, bool required, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        return required ? throw ApiProblem.Invalid("required", PathOf(name)) : false;
    }
}
