using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Integration.Local;

/// <summary>The local runtime's HTTP side: the first functions, and what the host itself answers.</summary>
public sealed class HttpHostTests : IAsyncLifetime
{
    private LocalRuntime runtime = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"http{Guid.NewGuid():N}"[..20], new() { ["SM_REGIONS"] = "eu,us" }, withSamples: false));
        http = new HttpClient { BaseAddress = runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task Health_answers_for_the_primary_region_with_the_version_and_no_caching()
    {
        var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal("eu", (string?)body["region"]);
        Assert.Equal("ok", (string?)body["storage"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string?)body["version"]);
    }

    [Fact]
    public async Task The_openapi_document_is_valid_openapi_3_1_and_describes_every_http_function()
    {
        var response = await http.GetAsync("openapi.json");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var read = OpenApiDocument.Parse(text, "json", new OpenApiReaderSettings());
        Assert.Empty(read.Diagnostic!.Errors);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, read.Diagnostic.SpecificationVersion);
        var document = read.Document!;
        Assert.Equal($"{runtime.Config.PublicBase}/api", document.Servers![0].Url);
        foreach (var function in runtime.Functions.Where(f => f.Kind == ServerlessMonitor.Local.Hosting.FunctionKind.Http))
        {
            var path = document.Paths["/" + function.Route];
            foreach (var method in function.Methods)
            {
                Assert.True(path.Operations!.ContainsKey(HttpMethod.Parse(method)), $"{method} /{function.Route} is not described");
            }
        }

        var health = document.Paths["/health"].Operations![HttpMethod.Get];
        Assert.Equal(["200", "503"], health.Responses!.Keys.Order());
        Assert.Contains("storage", health.Responses["200"].Content!["application/json"].Schema!.Properties!.Keys);
        // Times go through a converter of their own (UTC with a Z): still described as date-time strings.
        Assert.Equal("date-time", document.Components!.Schemas!["KeyBody"].Properties!["createdAt"].Format);
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_json_error()
    {
        var response = await http.GetAsync("no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Theory]
    [InlineData("POST", "health")]
    [InlineData("DELETE", "openapi.json")]
    [InlineData("HEAD", "health")]
    [InlineData("GET", "dev/regions/eu/down")]
    public async Task A_wrong_method_is_a_405_with_allow(string method, string route)
    {
        var response = await http.SendAsync(new HttpRequestMessage(new HttpMethod(method), route));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.NotEmpty(response.Content.Headers.Allow);
        if (method != "HEAD")
        {
            Assert.Equal("method_not_allowed", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        }
    }

    [Fact]
    public async Task A_body_over_one_mebibyte_is_a_413_json_error()
    {
        var response = await http.PostAsync("dev/regions/eu/up", new StringContent(new string('x', 1024 * 1024 + 1), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Theory]
    [InlineData("dev/regions/mars/down")]
    [InlineData("dev/regions/eu/sideways")]
    public async Task An_unknown_region_or_state_is_a_404(string route)
    {
        var response = await http.PostAsync(route, null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("not_found", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    [Fact]
    public async Task Region_faults_are_set_through_the_dev_routes()
    {
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/us/isolated", null)).StatusCode);
        Assert.Equal(ServerlessMonitor.Local.Dev.RegionState.Isolated, runtime.Faults["us"]);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsync("dev/regions/us/up", null)).StatusCode);
        Assert.Equal(ServerlessMonitor.Local.Dev.RegionState.Up, runtime.Faults["us"]);
    }

    [Fact]
    public async Task The_outbox_is_an_empty_list_before_anything_was_sent()
    {
        var response = await http.GetAsync("dev/outbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Health tells when storage is gone: 503 with storage "error", within its 3-second bound.</summary>
public sealed class HealthWithoutStorageTests
{
    [Fact]
    public async Task Health_is_503_when_table_storage_is_unreachable()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"down{Guid.NewGuid():N}"[..20], withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("health")).StatusCode);

        await runtime.Azurite!.DisposeAsync();
        var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)body["status"]);
        Assert.Equal("error", (string?)body["storage"]);
    }
}
