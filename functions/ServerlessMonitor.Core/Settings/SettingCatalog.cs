namespace ServerlessMonitor.Core.Settings;

/// <summary>The one declaration of every setting: name, scope, default and meaning.</summary>
public static class SettingCatalog
{
    public const string Region = "SM_REGION";
    public const string Regions = "SM_REGIONS";
    public const string PrimaryRegion = "SM_PRIMARY_REGION";
    public const string PublicBaseUrl = "SM_PUBLIC_BASE_URL";
    public const string AllowPrivateTargets = "SM_ALLOW_PRIVATE_TARGETS";
    public const string TokenSecret = "SM_TOKEN_SECRET";
    public const string WebhookKey = "SM_WEBHOOK_KEY";
    public const string Storage = "AzureWebJobsStorage";
    public const string StorageAccountName = "AzureWebJobsStorage__accountName";
    public const string StorageCredential = "AzureWebJobsStorage__credential";
    public const string StorageClientId = "AzureWebJobsStorage__clientId";
    public const string TaskHub = "SM_TASK_HUB";
    public const string AcsEndpoint = "SM_ACS_ENDPOINT";
    public const string AcsConnectionString = "SM_ACS_CONNECTION_STRING";
    public const string EmailSender = "SM_EMAIL_SENDER";
    public const string SmsSender = "SM_SMS_SENDER";
    public const string OperatorEmail = "SM_OPERATOR_EMAIL";
    public const string EmailHourlyBudget = "SM_EMAIL_HOURLY_BUDGET";
    public const string SmsHourlyBudget = "SM_SMS_HOURLY_BUDGET";
    public const string ConfirmationShare = "SM_CONFIRMATION_SHARE";
    public const string CanaryTargets = "SM_CANARY_TARGETS";
    public const string CycleBudget = "SM_CYCLE_BUDGET";
    public const string Port = "SM_PORT";
    public const string MinuteSeconds = "SM_MINUTE_SECONDS";
    public const string DataDir = "SM_DATA_DIR";
    public const string LocalStorage = "SM_STORAGE";
    public const string DnsblLists = "SM_DNSBL_LISTS";
    public const string DnsblResolver = "SM_DNSBL_RESOLVER";
    public const string SpamhausDqsKey = "SM_SPAMHAUS_DQS_KEY";
    public const string DnsblQueriesPerSecond = "SM_DNSBL_QUERIES_PER_SECOND";
    public const string DnsblRecheckMinutes = "SM_DNSBL_RECHECK_MINUTES";

    public static IReadOnlyList<SettingSpec> All { get; } =
    [
        new(Region, SettingScope.Both, "Name of the region this app instance probes from (Azure: the regional app's location).", "local"),
        new(Regions, SettingScope.Both, "Comma-separated list of every region of the deployment. The local runtime simulates one region per name. Default: SM_REGION."),
        new(PrimaryRegion, SettingScope.Both, "The region that decides verdicts and runs incidents. Default: the first of SM_REGIONS."),
        new(PublicBaseUrl, SettingScope.Both, "Base URL put in links that people open (confirmation pages, incidents). Default: http://127.0.0.1:<SM_PORT>."),
        new(AllowPrivateTargets, SettingScope.Both, "true lets monitors target loopback, private, link-local and other internal addresses. Default: false in Azure, true in the local runtime."),
        new(TokenSecret, SettingScope.Both, "Secret (at least 32 characters) that signs confirmation tokens. Required in Azure (a Key Vault reference); the local runtime generates one and keeps it in SM_DATA_DIR.", Secret: true),
        new(WebhookKey, SettingScope.Both, "Secret (at least 32 characters) from which the key that encrypts webhook signing secrets at rest is derived. Required in Azure for webhook channels (a Key Vault reference); the local runtime generates one and keeps it in SM_DATA_DIR. Changing it invalidates every webhook channel's secret.", Secret: true),
        new(Storage, SettingScope.Both, "Storage connection string (tables, queues, Durable task hub). The local runtime sets it to its own Azurite (or to SM_STORAGE). In Azure, leave it unset and use the identity-based settings below.", Secret: true, UnsetInAzure: true),
        new(StorageAccountName, SettingScope.Azure, "Identity-based storage: the storage account name (endpoints are derived from it)."),
        new(StorageCredential, SettingScope.Azure, "Identity-based storage: the credential kind; managedidentity in Azure.", "managedidentity"),
        new(StorageClientId, SettingScope.Azure, "Identity-based storage: client id of the user-assigned managed identity."),
        new(TaskHub, SettingScope.Both, "Durable Functions task hub name (host.json reads it). 3 to 45 letters and digits, starting with a letter.", "ServerlessMonitor"),
        new(AcsEndpoint, SettingScope.Azure, "Azure Communication Services endpoint; the app authenticates with its managed identity."),
        new(AcsConnectionString, SettingScope.Both, "ACS connection string (endpoint and access key), used instead of SM_ACS_ENDPOINT where managed identity is not available. In the local runtime, without it messages go to the outbox.", Secret: true, UnsetInAzure: true),
        new(EmailSender, SettingScope.Both, "Sender address for email, e.g. DoNotReply@<your ACS managed domain>."),
        new(SmsSender, SettingScope.Both, "Sender phone number for SMS in E.164 form (bought by hand in ACS). Without it, SMS channels cannot be added."),
        new(OperatorEmail, SettingScope.Both, "Email address of whoever runs this deployment. Alerts about the deployment itself go there (a region silent or untrusted, the verdict step not running), capped and with a recovery notice as incidents are (docs/INCIDENTS.md, Watching ourselves). Empty: they are only logged, and GET /api/health says operator: not_configured."),
        new(EmailHourlyBudget, SettingScope.Both, "Emails the deployment may send per hour (all regions together), of which confirmations may use SM_CONFIRMATION_SHARE percent; alerts are always sent. 0: no budget. Default: 100 in Azure (the ACS default for a custom domain: 30 a minute, 100 an hour; an Azure managed domain allows only 10 an hour), 0 in the local runtime (the outbox has no quota). Raise it with the ACS quota."),
        new(SmsHourlyBudget, SettingScope.Both, "SMS the deployment may send per hour, shared with confirmations as for email. 0: no budget. Default: 12000 in Azure (ACS allows a toll-free number 200 messages a minute), 0 in the local runtime."),
        new(ConfirmationShare, SettingScope.Both, "Percent of each hourly sending budget that confirmations (sign-up, recovery and channel links, invitations) may use; the rest is kept for alerts. A confirmation over its share is refused (429) until the hour turns.", "50"),
        new(CanaryTargets, SettingScope.Both, "Comma-separated host:port targets each region connects to every cycle to check its own network (a region whose canaries fail is not trusted). Default: the storage account's table endpoint, plus 1.1.1.1:53 and 8.8.8.8:53 in Azure."),
        new(CycleBudget, SettingScope.Both, "Probes one instance runs per cycle; monitors due beyond it go in shards to the region's probe-shards-<region> queue, probed by as many instances as Azure scales to.", "2000"),
        new(Port, SettingScope.Local, "Port of the local runtime's HTTP server (the port func uses).", "7071"),
        new(MinuteSeconds, SettingScope.Local, "Length of the scheduling minute in seconds. Every duration counted in minutes scales with it; probe timeouts do not.", "60"),
        new(DataDir, SettingScope.Local, "Folder of the local runtime's data: Azurite's files, the outbox and the local token secret.", ".data"),
        new(LocalStorage, SettingScope.Local, "A storage connection string the local runtime uses instead of starting its own Azurite."),
        new(DnsblLists, SettingScope.Both, "Comma-separated blacklist zones that dnsbl monitors without expect.lists are checked against (docs/MONITORS.md, DNS blacklists). Default: zen.spamhaus.org, bl.spamcop.net, b.barracudacentral.org, psbl.surriel.com, bl.mailspike.net (IP lists) and dbl.spamhaus.org, multi.surbl.org, multi.uribl.com (domain lists)."),
        new(DnsblResolver, SettingScope.Both, "The resolver (ip, ip:port or [v6]:port) that blacklist queries go to. Most lists refuse big public resolvers, so a deployment at scale points this at its own recursive resolver. Default: the probes' resolver (the system's)."),
        new(SpamhausDqsKey, SettingScope.Both, "Spamhaus Data Query Service key. Set: the Spamhaus zones are queried as <key>.zen.dq.spamhaus.net and so on (Spamhaus refuses its public mirrors to cloud and public resolvers). Empty: the public zones. The Bicep leaves it unset: in Azure, add it to each app as a Key Vault reference (docs/DEPLOY.md).", Secret: true, UnsetInAzure: true),
        new(DnsblQueriesPerSecond, SettingScope.Both, "Queries per second one instance sends to one blacklist, however many dnsbl checks run at once; a /24 block takes 256 / this seconds per list.", "10"),
        new(DnsblRecheckMinutes, SettingScope.Both, "While a dnsbl monitor is listed, how often it is checked again to notice the delisting (a block: at least every 240 minutes). Other monitors are rechecked every minute.", "60"),
    ];

    public static SettingSpec Get(string name) =>
        All.FirstOrDefault(s => s.Name == name) ?? throw new ArgumentException($"{name} is not a declared setting", nameof(name));
}
