using System.Text.Json;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Tests.Monitors;

/// <summary>What counts as "the same request" for an Idempotency-Key.</summary>
public sealed class RequestHashTests
{
    [Fact]
    public void Field_order_and_whitespace_do_not_matter_and_any_value_does()
    {
        var hash = Of("""{"a":1,"b":{"c":[1,"x"],"d":null}}"""u8.ToArray());

        Assert.Equal(hash, Of("""{ "b": { "d": null, "c": [1, "x"] }, "a": 1 }"""u8.ToArray()));
        Assert.NotEqual(hash, Of("""{"a":2,"b":{"c":[1,"x"],"d":null}}"""u8.ToArray()));
        Assert.NotEqual(hash, Of("""{"a":1,"b":{"c":["x",1],"d":null}}"""u8.ToArray()));
        Assert.NotEqual(Of("""{"ab":"c"}"""u8.ToArray()), Of("""{"a":"bc"}"""u8.ToArray()));
    }

    [Fact]
    public void A_body_that_is_not_valid_unicode_still_hashes()
    {
        byte[] invalid = [0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d];

        Assert.Equal(Of(invalid), Of(invalid));
        Assert.NotEqual(Of(invalid), Of("""{"\udfff":1}"""u8.ToArray()));
    }

    private static string Of(byte[] json) => RequestHash.Of(JsonDocument.Parse(json).RootElement);
}
