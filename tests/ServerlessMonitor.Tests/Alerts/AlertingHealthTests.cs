using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Functions.Health;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;
using ServerlessMonitor.Tests.Support.FakeAcs;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>GET /api/health says whether alerts can go out: in Azure only with ACS and a sender address; locally always (the outbox).</summary>
public sealed class AlertingHealthTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task In_azure_without_email_alerting_is_not_configured_and_the_region_stays_healthy()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure);

        var (status, body) = await HealthAsync(app);

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal(("ok", "ok", "not_configured"), (body.Status, body.Storage, body.Alerting));
    }

    [Fact]
    public async Task In_azure_with_ACS_and_a_sender_address_alerting_is_ok()
    {
        await using var acs = await FakeAcsServer.StartAsync();
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure, new()
        {
            [SettingCatalog.AcsConnectionString] = acs.ConnectionString,
            [SettingCatalog.EmailSender] = AcsFixture.EmailSender,
        });

        var (_, body) = await HealthAsync(app);

        Assert.Equal("ok", body.Alerting);
    }

    [Fact]
    public async Task In_azure_with_ACS_but_no_sender_address_alerting_is_not_configured()
    {
        await using var acs = await FakeAcsServer.StartAsync();
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure, new()
        {
            [SettingCatalog.AcsConnectionString] = acs.ConnectionString,
            [SettingCatalog.SmsSender] = AcsFixture.SmsSender,
        });

        Assert.Equal("not_configured", (await HealthAsync(app)).Body.Alerting);
    }

    [Fact]
    public async Task The_local_runtime_reports_alerting_ok_over_http()
    {
        await using var runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"health{Guid.NewGuid():N}"[..20], withSamples: false));
        using var http = new HttpClient { BaseAddress = runtime.ApiUrl };

        var response = await http.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["alerting"]);
    }

    private static async Task<(int Status, HealthBody Body)> HealthAsync(DeliveryHarness app)
    {
        var function = ActivatorUtilities.CreateInstance<HealthFunction>(app.Services);
        var answer = Assert.IsType<JsonAnswer>(await function.Run(new DefaultHttpContext().Request, CancellationToken.None));
        return (answer.Status, Assert.IsType<HealthBody>(answer.Body));
    }
}
