using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local;
using ServerlessMonitor.Tests.Support;

namespace ServerlessMonitor.Tests.Accounts;

/// <summary>
/// POST /api/accounts when this hour's confirmations have used their share of the email budget:
/// the API.md error shape with 429 and Retry-After, over HTTP in the local runtime, and nothing stored.
/// </summary>
public sealed class SignupQuotaTests : IAsyncLifetime
{
    private LocalRuntime runtime = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        runtime = await LocalRuntime.StartAsync(TestRuntime.Options($"quota{Guid.NewGuid():N}"[..20], new()
        {
            ["SM_TOKEN_SECRET"] = AccountsRuntime.TokenSecret,
            [SettingCatalog.EmailHourlyBudget] = "10",
            [SettingCatalog.ConfirmationShare] = "50",
        }, withSamples: false));
        http = new HttpClient { BaseAddress = runtime.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        http.Dispose();
        await runtime.DisposeAsync();
    }

    [Fact]
    public async Task Sign_up_answers_429_with_Retry_After_and_stores_nothing_while_the_confirmation_share_is_used_up()
    {
        var services = runtime.ServicesOf(runtime.Config.PrimaryRegion);
        var deliveries = services.GetRequiredService<DeliveryStore>();

        // This hour's and the next one's confirmations are used up (5 of 10), should the hour turn mid-test.
        var hour = SendingBudget.HourOf(DateTimeOffset.UtcNow);
        foreach (var h in new[] { hour, hour.AddHours(1) })
        {
            Assert.True(await deliveries.SaveBudgetUseAsync(ChannelKind.Email, h, new BudgetUse(0, 5), default, CancellationToken.None));
        }

        var email = $"late-{Guid.NewGuid():N}@example.com";
        using var answer = await http.PostAsJsonAsync("accounts", new { email });

        Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
        var retryAfter = int.Parse(Assert.Single(answer.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 7200);
        Assert.Equal("no-store", answer.Headers.CacheControl?.ToString());
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("rate_limited", (string?)error["code"]);
        Assert.False(string.IsNullOrEmpty((string?)error["message"]));

        Assert.Null(await services.GetRequiredService<AccountStore>().GetEmailIndexAsync(Ids.Sha256Hex(email), CancellationToken.None));
        Assert.Empty(JsonNode.Parse(await http.GetStringAsync("dev/outbox"))!.AsArray());
    }
}
