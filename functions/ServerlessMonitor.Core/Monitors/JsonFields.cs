using System.Text.Json;
using ServerlessMonitor.Core.Accounts;

namespace ServerlessMonitor.Core.Monitors;

/// <summary>
/// One JSON object of a monitor request, read field by field. Every problem is a validation
/// refusal naming the field by its dotted path (<c>expect.status.0</c>); the first one found is
/// the one reported.
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement element;
    private readonly string? path;

    private JsonFields(JsonElement element, string? path)
    {
        this.element = element;
        this.path = path;
    }

    /// <summary>The object at <paramref name="path"/> (null: the body itself), refusing anything else.</summary>
    public static JsonFields Of(JsonElement element, string? path) =>
        element.ValueKind == JsonValueKind.Object ? new JsonFields(element, path) : throw Refusal.Invalid("expected a JSON object", path);

    public IReadOnlyList<string> Names
    {
        get
        {
            try
            {
                return [.. element.EnumerateObject().Select(p => p.Name)];
            }
            catch (InvalidOperationException)
            {
                // A name with an escaped lone surrogate: valid JSON, not text.
                throw Refusal.Invalid("a field name is not valid Unicode", path);
            }
        }
    }

    /// <summary>Objects are strict: a misspelt field is an error, never a silently ignored setting.</summary>
    public JsonFields Strict(IReadOnlyCollection<string> known, string? context = null)
    {
        var unknown = Names.Where(n => !known.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count == 0)
        {
            return this;
        }

        var what = unknown.Count > 1 ? "fields" : "field";
        throw Refusal.Invalid($"unknown {what}{(context is null ? string.Empty : $" for {context}")}: {string.Join(", ", unknown)}", path);
    }

    /// <summary>Whether the field is present, null or not.</summary>
    public bool Has(string name) => element.TryGetProperty(name, out _);

    public string PathOf(string name) => path is null ? name : $"{path}.{name}";

    /// <summary>The field's value; absent fields are null, present nulls are refused unless <paramref name="nullable"/>.</summary>
    public JsonElement? Value(string name, bool required, bool nullable = false)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return required ? throw Refusal.Invalid("required", PathOf(name)) : null;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            return nullable ? null : throw Refusal.Invalid(required ? "required" : "must not be null", PathOf(name));
        }

        return value;
    }

    public string? String(string name, bool required = false) =>
        Value(name, required) is { } value ? StringOf(value, PathOf(name)) : null;

    /// <summary>A string of <paramref name="min"/>–<paramref name="max"/> characters.</summary>
    public string? String(string name, int min, int max, bool required = false)
    {
        if (String(name, required) is not { } text)
        {
            return null;
        }

        return text.Length >= min && text.Length <= max ? text : throw Refusal.Invalid($"must be {min} to {max} characters", PathOf(name));
    }

    public int? Integer(string name, int min, int max, bool required = false) =>
        Value(name, required) is { } value ? IntegerOf(value, min, max, PathOf(name)) : null;

    public bool? Boolean(string name) => Value(name, required: false) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => throw Refusal.Invalid("expected true or false", PathOf(name)),
    };

    /// <summary>An array of <paramref name="min"/>–<paramref name="max"/> items, each read with its own path.</summary>
    public IReadOnlyList<T>? Array<T>(string name, int min, int max, Func<JsonElement, string, T> item, bool nullable = false)
    {
        if (Value(name, required: false, nullable) is not { } value)
        {
            return null;
        }

        var at = PathOf(name);
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Refusal.Invalid("expected an array", at);
        }

        var length = value.GetArrayLength();
        if (length < min || length > max)
        {
            throw Refusal.Invalid(min == max ? $"must have {min} items" : $"must have {min} to {max} items", at);
        }

        return [.. value.EnumerateArray().Select((e, i) => item(e, $"{at}.{i}"))];
    }

    public static string StringOf(JsonElement value, string at)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw Refusal.Invalid("expected a string", at);
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate: valid JSON, not text.
            throw Refusal.Invalid("the string is not valid Unicode", at);
        }
    }

    /// <summary>A whole number (1 and 1.0 alike, as JSON does not tell them apart) in range.</summary>
    public static int IntegerOf(JsonElement value, int min, int max, string at)
    {
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Refusal.Invalid("expected a number", at);
        }

        if (!value.TryGetDouble(out var number) || double.IsInfinity(number) || Math.Floor(number) != number)
        {
            throw Refusal.Invalid("expected a whole number", at);
        }

        return number >= min && number <= max ? (int)number : throw Refusal.Invalid($"must be from {min} to {max}", at);
    }
}
