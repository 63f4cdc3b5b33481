using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>
/// The local runtime's HTTP routing, with the tests' own HTTP functions (local-runtime.test.ts,
/// "HTTP routing"): route values decoded and bound by name, query strings passed, a literal route
/// preferred over a parameter, catch-all routes, the function's status and body as it answered,
/// 204 without a body, and an exception turned into a 500 that says nothing of it (the host logs it through
/// ILogger).
/// </summary>
public sealed class HttpRoutingTests : IAsyncLifetime
{
    private LocalRuntime runtime = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"route{Guid.NewGuid():N}"[..20]));
        http = new HttpClient { BaseAddress = runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task Route_values_are_decoded_and_bound_by_name_with_the_query_and_a_literal_route_wins_over_a_parameter()
    {
        Assert.Equal("""{"id":"a b","q":"1"}""", await Json("test/items/a%20b?q=1"));
        Assert.Equal("""{"id":"\u00C4\u00D6 x","q":"a\u0026b"}""", await Json("test/items/%C3%84%C3%96%20x?q=a%26b"));

        // As in the Functions host (ASP.NET Core routing), an encoded slash stays encoded: it
        // must not make a segment of its own.
        Assert.Equal("""{"id":"a%2Fb","q":""}""", await Json("test/items/a%2Fb"));
        Assert.Equal("""{"literal":true}""", await Json("test/items/special"));
        Assert.Equal("""{"literal":true}""", await Json("TEST/Items/SPECIAL"));
        Assert.Equal("""{"path":"a/b/c.txt"}""", await Json("test/files/a/b/c.txt"));
    }

    [Fact]
    public async Task The_functions_status_and_body_go_out_as_it_answered_and_a_204_has_no_body()
    {
        using var put = await http.PutAsync("test/items/7", new StringContent("""{"name":"x"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal("application/json", put.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"id":"7","name":"x"}""", await put.Content.ReadAsStringAsync());

        using var delete = await http.DeleteAsync("test/items/7");
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(string.Empty, await delete.Content.ReadAsStringAsync());

        using var wrong = await http.PostAsync("test/items/1", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrong.StatusCode);
        Assert.Equal("DELETE, GET, PUT", string.Join(", ", wrong.Content.Headers.Allow));
    }

    [Fact]
    public async Task An_exception_in_a_function_is_a_500_that_reveals_nothing()
    {
        using var response = await http.PostAsync("test/crash", null);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("""{"error":{"code":"internal","message":"internal error"}}""", JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString());
    }

    private async Task<string> Json(string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.ToJsonString();
    }
}
