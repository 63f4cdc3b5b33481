using Microsoft.Extensions.Configuration;
using ServerlessMonitor.Core.Settings;

namespace ServerlessMonitor.Tests.Unit.Settings;

/// <summary>
/// The settings rules of config.test.ts that <see cref="MonitorConfigTests"/> leaves out: how
/// storage and ACS are reached, the region list, and the smaller settings, read as Azure reads
/// them (identity storage, three regions) or as the local runtime does.
/// </summary>
public sealed class MonitorConfigRulesTests
{
    private const string ClientId = "6f1c0e4a-3a1b-4c2d-9e8f-0a1b2c3d4e5f";
    private const string Endpoint = "https://acs-abc.unitedstates.communication.azure.com";

    [Fact]
    public void A_connection_string_wins_over_the_identity_settings_and_the_client_id_may_be_left_out()
    {
        Assert.Equal(new StorageConfig.ConnectionString("UseDevelopmentStorage=true"), Azure(("AzureWebJobsStorage", "UseDevelopmentStorage=true")).Storage);
        var identity = Assert.IsType<StorageConfig.Identity>(Azure(("AzureWebJobsStorage__clientId", string.Empty)).Storage);
        Assert.Null(identity.ClientId);
        Assert.Equal(new Uri("https://stabcdefghij234.queue.core.windows.net"), identity.QueueUri);
        Assert.Equal(new Uri("https://stabcdefghij234.blob.core.windows.net"), identity.BlobUri);
        Assert.Contains("accountName", Assert.Throws<SettingsException>(() => Load(RuntimeMode.Azure)).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StAbc")]
    [InlineData("st-abc")]
    [InlineData("ab")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("st.abc")]
    public void A_storage_account_name_azure_would_refuse_is_refused(string name) =>
        Assert.Equal("AzureWebJobsStorage__accountName", Assert.Throws<SettingsException>(() => Azure(("AzureWebJobsStorage__accountName", name))).Setting);

    [Fact]
    public void Acs_is_reached_by_its_connection_string_else_its_https_endpoint_with_the_storage_identity_else_not_at_all()
    {
        var connectionString = $"endpoint={Endpoint}/;accesskey=a2V5";
        Assert.Equal(new AcsConfig.ConnectionString(connectionString), Local(("SM_ACS_CONNECTION_STRING", connectionString), ("SM_ACS_ENDPOINT", Endpoint)).Acs);
        Assert.Equal(new AcsConfig.Identity(new Uri(Endpoint), ClientId), Azure(("SM_ACS_ENDPOINT", $"{Endpoint}/")).Acs);
        Assert.Null(Local().Acs);
        Assert.Null(Azure(("SM_ACS_ENDPOINT", "  ")).Acs);
        foreach (var bad in new[] { "http://acs-abc.communication.azure.com", "acs-abc.communication.azure.com" })
        {
            Assert.Equal("SM_ACS_ENDPOINT", Assert.Throws<SettingsException>(() => Azure(("SM_ACS_ENDPOINT", bad))).Setting);
        }

        var senders = Azure(("SM_EMAIL_SENDER", "DoNotReply@x.azurecomm.net"), ("SM_SMS_SENDER", string.Empty));
        Assert.Equal(("DoNotReply@x.azurecomm.net", (string?)null), (senders.EmailSender, senders.SmsSender));
        Assert.Equal("+18005550100", Azure(("SM_SMS_SENDER", "+18005550100")).SmsSender);
    }

    [Fact]
    public void The_first_region_is_primary_unless_told_and_the_list_is_trimmed()
    {
        var azure = Azure();
        Assert.Equal(("northeurope", "eastus2"), (azure.Region, azure.PrimaryRegion));
        Assert.False(azure.IsPrimary);
        Assert.Equal("southeastasia", Azure(("SM_PRIMARY_REGION", "southeastasia")).PrimaryRegion);
        Assert.Equal(["eastus2", "northeurope"], Azure(("SM_REGIONS", " eastus2 , northeurope,,")).Regions);
    }

    [Theory]
    [InlineData("SM_PRIMARY_REGION", "westus")]
    [InlineData("SM_REGIONS", "eastus2,eastus2")]
    [InlineData("SM_REGIONS", "East US")]
    [InlineData("SM_REGIONS", " , ")]
    [InlineData("SM_REGION", "North_Europe")]
    public void A_bad_region_setting_is_named(string setting, string value) =>
        Assert.Equal(setting, Assert.Throws<SettingsException>(() => Azure((setting, value))).Setting);

    [Fact]
    public void Private_targets_are_denied_in_azure_and_allowed_locally_unless_told()
    {
        Assert.True(Azure(("SM_ALLOW_PRIVATE_TARGETS", "true")).AllowPrivateTargets);
        Assert.False(Local(("SM_ALLOW_PRIVATE_TARGETS", "no")).AllowPrivateTargets);
    }

    [Fact]
    public void Smaller_settings_take_their_defaults_and_refuse_what_they_cannot_use()
    {
        var azure = Azure();
        Assert.Equal(new string('s', 32), azure.TokenSecret);
        Assert.Equal("ServerlessMonitor", azure.TaskHub);
        Assert.Equal("Monitor2", Azure(("SM_TASK_HUB", "Monitor2")).TaskHub);
        foreach (var bad in new[] { "my-hub", "1hub", "ab", new string('h', 46) })
        {
            Assert.Equal("SM_TASK_HUB", Assert.Throws<SettingsException>(() => Azure(("SM_TASK_HUB", bad))).Setting);
        }

        Assert.Contains("unresolved Key Vault reference", Assert.Throws<SettingsException>(() => Azure(("SM_TOKEN_SECRET", "@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/sm-token-secret/0123)"))).Message, StringComparison.Ordinal);

        Assert.Equal("https://func-eastus2-x.azurewebsites.net", Azure(("SM_PUBLIC_BASE_URL", "https://func-eastus2-x.azurewebsites.net/")).PublicBase);
        Assert.Equal("http://127.0.0.1:7071", Local().PublicBase);
        Assert.Equal("SM_PUBLIC_BASE_URL", Assert.Throws<SettingsException>(() => Azure(("SM_PUBLIC_BASE_URL", "func-eastus2-x.azurewebsites.net"))).Setting);

        Assert.Equal(TimeSpan.FromMilliseconds(500), Local(("SM_MINUTE_SECONDS", "0.5")).MinuteLength);
        Assert.Equal("SM_PORT", Assert.Throws<SettingsException>(() => Local(("SM_PORT", "80.5"))).Setting);

        // Azure's app folder is read-only: what must be written goes under the temp folder.
        Assert.Equal(Path.Combine(Path.GetTempPath(), "serverless-monitor"), azure.DataDir);
        Assert.Equal(".data", Local().DataDir);
    }

    private static MonitorConfig Local(params (string Key, string Value)[] values) =>
        Load(RuntimeMode.Local, [("AzureWebJobsStorage", "UseDevelopmentStorage=true"), .. values]);

    /// <summary>Settings as an app in Azure has them, with <paramref name="values"/> on top.</summary>
    private static MonitorConfig Azure(params (string Key, string Value)[] values) =>
        Load(
            RuntimeMode.Azure,
            [
                ("AzureWebJobsStorage__accountName", "stabcdefghij234"),
                ("AzureWebJobsStorage__credential", "managedidentity"),
                ("AzureWebJobsStorage__clientId", ClientId),
                ("SM_REGION", "northeurope"),
                ("SM_REGIONS", "eastus2,northeurope,southeastasia"),
                ("SM_TOKEN_SECRET", new string('s', 32)),
                .. values,
            ]);

    private static MonitorConfig Load(RuntimeMode mode, params (string Key, string Value)[] values)
    {
        var settings = new Dictionary<string, string?>();
        foreach (var (key, value) in values)
        {
            settings[key] = value;
        }

        return MonitorConfig.Load(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), mode);
    }
}
