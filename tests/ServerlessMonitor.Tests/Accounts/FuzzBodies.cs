using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>
/// Request bodies for the write-route fuzzes: a valid body with fields replaced by odd values
/// (wrong types, huge and unicode strings, NUL) or removed, arbitrary text, and raw bytes that
/// are not what a JSON object reader expects (truncated, invalid UTF-8, lone surrogates, deep
/// nesting, duplicate keys, over 64 KiB).
/// </summary>
public static class FuzzBodies
{
    public static Gen<byte[]?> Body(Func<JsonObject>? valid, IReadOnlyList<string> fields, params byte[]?[] extraRaw)
    {
        var odd = Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s)),
            ArbMap.Default.GeneratorFor<int>().Select(i => (JsonNode?)JsonValue.Create(i)),
            ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
            Gen.Elements<JsonNode?>(
                null,
                JsonValue.Create(1e308),
                JsonValue.Create(string.Empty),
                JsonValue.Create(new string('x', 3000)),
                JsonValue.Create("Ünïcødé 名前 😀"),
                JsonValue.Create("a\u0000b"),
                JsonValue.Create("ADA@EXAMPLE.COM"),
                JsonValue.Create($"{new string('a', 250)}@example.com"),
                new JsonArray(1, "two"),
                new JsonObject { ["nested"] = new JsonObject() }));
        var mutated = valid is null
            ? Gen.Constant<byte[]?>(null)
            : Gen.ListOf(Gen.Zip(Gen.Elements(fields.ToArray()), Gen.OneOf(odd.Select(v => (Remove: false, Value: v)), Gen.Constant((Remove: true, Value: (JsonNode?)null)))), 2)
                .Select(changes =>
                {
                    var value = valid();
                    foreach (var (field, (remove, v)) in changes)
                    {
                        if (remove)
                        {
                            value.Remove(field);
                        }
                        else
                        {
                            value[field] = v?.DeepClone();
                        }
                    }

                    return (byte[]?)Encoding.UTF8.GetBytes(value.ToJsonString());
                });
        var raw = Gen.Elements<byte[]?>([
            null,
            [],
            "{"u8.ToArray(),
            "[]"u8.ToArray(),
            "null"u8.ToArray(),
            "\"text\""u8.ToArray(),
            """{"email":"\ud800@example.com"}"""u8.ToArray(),
            """{"readOnly":true,"label":"\udfff"}"""u8.ToArray(),
            """{"email":"a@example.com","email":"b@example.com"}"""u8.ToArray(),
            [0x7b, 0x22, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d],
            Encoding.UTF8.GetBytes(new string('[', 100) + new string(']', 100)),
            Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"email\":\"a@example.com\"}", 3000))),
            Encoding.UTF8.GetBytes($"{{\"email\":\"a@example.com\",\"name\":\"{new string('n', 70_000)}\"}}"),
            .. extraRaw]);
        return Gen.Frequency(
            (5, mutated),
            (1, ArbMap.Default.GeneratorFor<string>().Select(s => (byte[]?)Encoding.UTF8.GetBytes(s ?? string.Empty))),
            (2, raw));
    }
}
