using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Functions.Health;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Tests.Alerts;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Incidents;

/// <summary>GET /api/health says whether alerts about the deployment itself reach anyone: only with SM_OPERATOR_EMAIL.</summary>
public sealed class SelfWatchHealthTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Without_an_operator_address_alerts_about_the_deployment_are_not_configured_and_the_region_stays_healthy()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure);
        var (status, body) = await HealthAsync(app);
        Assert.Equal((StatusCodes.Status200OK, "ok", "not_configured"), (status, body.Status, body.Operator));
    }

    [Fact]
    public async Task With_an_operator_address_they_are_ok_and_the_address_is_kept_in_its_one_spelling()
    {
        await using var app = await DeliveryHarness.StartAsync(azurite.ConnectionString, RuntimeMode.Azure, new() { [SettingCatalog.OperatorEmail] = " Ops@Example.com " });
        Assert.Equal("ok", (await HealthAsync(app)).Body.Operator);
        Assert.Equal("ops@example.com", app.Services.GetRequiredService<MonitorConfig>().OperatorEmail);
    }

    private static async Task<(int Status, HealthBody Body)> HealthAsync(DeliveryHarness app)
    {
        var function = ActivatorUtilities.CreateInstance<HealthFunction>(app.Services);
        var answer = Assert.IsType<JsonAnswer>(await function.Run(new DefaultHttpContext().Request, CancellationToken.None));
        return (answer.Status, Assert.IsType<HealthBody>(answer.Body));
    }
}
