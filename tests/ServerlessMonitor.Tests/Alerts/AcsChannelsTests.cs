using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Core.Alerts.Acs;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>Which channels the settings give, and which ACS endpoints are allowed.</summary>
public sealed class AcsChannelsTests
{
    private const string Key = "c2VjcmV0LWtleS1ub3QtdG8tYmUtcHJpbnRlZC0wMDA=";
    private const string ConnectionString = "endpoint=https://contoso.communication.azure.com/;accesskey=" + Key;

    [Fact]
    public void Gives_no_channel_without_ACS()
    {
        var channels = AcsChannels.FromConfig(Config(emailSender: "DoNotReply@example.net", smsSender: "+18005550199"), TimeProvider.System);

        Assert.Equal(new AcsChannels(null, null), channels);
    }

    [Fact]
    public void Gives_each_kind_whose_sender_is_set()
    {
        var emailOnly = AcsChannels.FromConfig(Config(ConnectionString, emailSender: "DoNotReply@example.net"), TimeProvider.System);
        var both = AcsChannels.FromConfig(Config(ConnectionString, emailSender: "DoNotReply@example.net", smsSender: "+18005550199"), TimeProvider.System);
        var neither = AcsChannels.FromConfig(Config(ConnectionString), TimeProvider.System);

        Assert.IsType<AcsEmailChannel>(emailOnly.Email);
        Assert.Null(emailOnly.Sms);
        Assert.IsType<AcsEmailChannel>(both.Email);
        Assert.IsType<AcsSmsChannel>(both.Sms);
        Assert.Equal(new AcsChannels(null, null), neither);
    }

    [Fact]
    public void Gives_channels_that_sign_in_with_the_managed_identity()
    {
        var config = Config(emailSender: "DoNotReply@example.net") with { Acs = new AcsConfig.Identity(new Uri("https://contoso.communication.azure.com"), "client-id") };

        var channels = AcsChannels.FromConfig(config, TimeProvider.System);

        Assert.Equal((DeliveryTransport.Acs, TimeSpan.FromMinutes(5)), (channels.Email!.Transport, channels.Email.RepeatabilityWindow));
    }

    [Theory]
    [InlineData("https://contoso.communication.azure.com/")]
    [InlineData("http://127.0.0.1:5123/")]
    [InlineData("http://localhost:5123")]
    [InlineData("http://[::1]:5123/")]
    public void Allows_https_and_plain_http_only_to_loopback(string endpoint)
    {
        Assert.Equal(new Uri(endpoint).GetLeftPart(UriPartial.Authority) + "/", AcsAccessKey.Parse($"endpoint={endpoint};accesskey={Key}").Endpoint.ToString());
    }

    [Theory]
    [InlineData("endpoint=http://contoso.communication.azure.com/;accesskey=" + Key)]
    [InlineData("endpoint=ftp://contoso.communication.azure.com/;accesskey=" + Key)]
    [InlineData("endpoint=contoso;accesskey=" + Key)]
    [InlineData("accesskey=" + Key)]
    [InlineData("endpoint=https://contoso.communication.azure.com/")]
    [InlineData("endpoint=https://contoso.communication.azure.com/;accesskey=not base64!")]
    public void Refuses_a_malformed_connection_string_without_repeating_the_key(string connectionString)
    {
        var error = Assert.Throws<SettingsException>(() => AcsAccessKey.Parse(connectionString));

        Assert.Equal(SettingCatalog.AcsConnectionString, error.Setting);
        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_to_send_a_bearer_token_over_plain_http()
    {
        var error = Assert.Throws<SettingsException>(() => new AcsClient(new Uri("http://contoso.communication.azure.com/"), new FixedTokenCredential("t"), TimeProvider.System));

        Assert.Equal(SettingCatalog.AcsEndpoint, error.Setting);
    }

    [Fact]
    public void Keeps_the_key_out_of_its_text()
    {
        Assert.DoesNotContain(Key, AcsAccessKey.Parse(ConnectionString).ToString(), StringComparison.Ordinal);
    }

    private static MonitorConfig Config(string? acsConnectionString = null, string? emailSender = null, string? smsSender = null)
    {
        var settings = new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = "UseDevelopmentStorage=true",
            [SettingCatalog.AcsConnectionString] = acsConnectionString,
            [SettingCatalog.EmailSender] = emailSender,
            [SettingCatalog.SmsSender] = smsSender,
        };
        return MonitorConfig.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), RuntimeMode.Local);
    }
}
