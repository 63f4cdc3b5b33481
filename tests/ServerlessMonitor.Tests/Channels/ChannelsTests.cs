using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Tests.Accounts;
using ServerlessMonitor.Tests.Support.Servers;

namespace ServerlessMonitor.Tests.Channels;

/// <summary>
/// Channels on the local runtime, over HTTP and through the outbox (channels.test.ts): each kind
/// is confirmed by what its address receives, the same address is the same channel, resends and
/// the number of channels are limited, webhooks are SSRF-checked, and deletion ends it all.
/// </summary>
public sealed class ChannelsTests(ChannelsRuntime shared) : IClassFixture<ChannelsRuntime>
{
    private readonly AccountsRuntime t = shared.Runtime;
    private readonly string accountId = shared.AccountId;
    private readonly string apiKey = shared.ApiKey;
    private readonly string ownerEmail = shared.Email;

    [Fact]
    public async Task An_email_channel_is_verified_by_the_link_mailed_to_it()
    {
        var address = $"Pager-{Guid.NewGuid():N}@Example.com";
        var added = await t.Api("channels", body: new { kind = "email", address }, key: apiKey);

        Assert.Equal(HttpStatusCode.Created, added.Status);
        var id = (string)added.Json!["id"]!;
        Assert.Matches("^c[a-z0-9]{20}$", id);
        Assert.Equal("email", (string?)added.Json["kind"]);
        Assert.Equal(address.ToLowerInvariant(), (string?)added.Json["address"]);
        Assert.Equal("pending", (string?)added.Json["status"]);
        Assert.NotNull(added.Json["createdAt"]);
        Assert.Null(added.Json["signingSecret"]);
        Assert.Equal("no-store", added.Header("Cache-Control"));

        var message = await t.MessageTo(address.ToLowerInvariant());
        Assert.Equal("email", (string?)message["channel"]);
        Assert.Contains(ownerEmail, (string)message["body"]!, StringComparison.Ordinal);
        var link = AccountsRuntime.ConfirmPath(message);

        var preview = await t.Api(link, accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Equal("channel", (string?)preview.Json!["kind"]);
        Assert.Contains(address.ToLowerInvariant(), (string)preview.Json["action"]!, StringComparison.Ordinal);
        Assert.Equal("pending", (string?)(await Channel(id))["status"]);

        var confirmed = await t.ConfirmJson(link);
        Assert.Equal(HttpStatusCode.OK, confirmed.Status);
        Assert.Equal("channel", (string?)confirmed.Json!["kind"]);
        Assert.Equal(id, (string?)confirmed.Json["channelId"]);
        Assert.Equal("verified", (string?)confirmed.Json["status"]);

        var listed = await Channel(id);
        Assert.Equal("verified", (string?)listed["status"]);
        Assert.NotNull(listed["verifiedAt"]);
        Assert.Equal(HttpStatusCode.Gone, (await t.ConfirmJson(link)).Status);
    }

    [Fact]
    public async Task An_sms_channel_gets_a_one_segment_text_with_its_link_and_the_page_confirms_it()
    {
        var digits = Random.Shared.Next(1_000_000, 9_999_999);
        var added = await t.Api("channels", body: new { kind = "sms", address = $"+1 (415) 5{digits / 10000:000}-{digits % 10000:0000}." }, key: apiKey);

        Assert.Equal(HttpStatusCode.Created, added.Status);
        var phone = (string)added.Json!["address"]!;
        Assert.Equal($"+14155{digits}", phone);
        var message = await t.MessageTo(phone);
        Assert.Equal("sms", (string?)message["channel"]);
        Assert.True(((string)message["body"]!).Length <= 160, (string?)message["body"]);

        // A person opens the link and presses the button: HTML both ways.
        var page = await t.Api(AccountsRuntime.ConfirmPath(message));
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("<form method=\"post\">", page.Text, StringComparison.Ordinal);
        var done = await t.Api(AccountsRuntime.ConfirmPath(message), HttpMethod.Post);
        Assert.Equal(HttpStatusCode.OK, done.Status);
        Assert.StartsWith("text/html", done.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("verified", (string?)(await Channel((string)added.Json["id"]!))["status"]);
    }

    [Fact]
    public async Task A_webhook_gets_a_challenge_its_server_answers_and_its_secret_is_shown_once_and_stored_encrypted()
    {
        // The challenge is POSTed for real: the outbox lists what was delivered.
        await using var receiver = new HttpTestServer();
        var path = Guid.NewGuid().ToString("N");
        var added = await t.Api("channels", body: new { kind = "webhook", address = $"{receiver.Url}/text?body={path}&team=ops#section" }, key: apiKey);

        Assert.Equal(HttpStatusCode.Created, added.Status);
        var id = (string)added.Json!["id"]!;
        var url = (string)added.Json["address"]!;
        Assert.Equal($"{receiver.Url}/text?body={path}&team=ops", url);
        var secret = (string)added.Json["signingSecret"]!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        var challenge = await t.MessageTo(url);
        Assert.Equal("webhook", (string?)challenge["channel"]);
        var payload = JsonNode.Parse((string)challenge["body"]!)!;
        Assert.Equal("confirmation", (string?)payload["type"]);
        Assert.Equal((string?)challenge["subject"], (string?)payload["subject"]);
        Assert.Contains((string)payload["confirmUrl"]!, (string)payload["text"]!, StringComparison.Ordinal);
        var confirmUrl = new Uri((string)payload["confirmUrl"]!);
        Assert.Equal(t.Runtime.ApiUrl.Authority, confirmUrl.Authority);

        // The webhook's server confirms by POSTing to the URL it was given.
        var confirmed = await t.ConfirmJson(confirmUrl.AbsolutePath["/api/".Length..]);
        Assert.Equal("verified", (string?)confirmed.Json!["status"]);

        var list = await t.Api("channels", key: apiKey);
        Assert.DoesNotContain(secret, list.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("signingSecret", list.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await t.Api("channels", body: new { kind = "webhook", address = url }, key: apiKey)).Status);
        Assert.DoesNotContain(secret, await t.Snapshot(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, (await t.Outbox()).ToJsonString(), StringComparison.Ordinal);

        // Delivery reads it back from the channel row, until the channel is deleted.
        var secrets = t.Runtime.ServicesOf(t.Runtime.Config.Region).GetRequiredService<ChannelWebhookSecrets>();
        Assert.Equal(secret, await secrets.GetSecretAsync(accountId, id, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"channels/{id}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Null(await secrets.GetSecretAsync(accountId, id, CancellationToken.None));
    }

    [Fact]
    public async Task The_same_address_is_the_same_channel_and_a_pending_one_is_resent_three_times_an_hour_at_most()
    {
        var address = $"dup-{Guid.NewGuid():N}@example.com";
        var first = await t.Api("channels", body: new { kind = "email", address }, key: apiKey);
        Assert.Equal(HttpStatusCode.Created, first.Status);

        var again = await t.Api("channels", body: new { kind = "email", address = $"  {address.ToUpperInvariant()} " }, key: apiKey);
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal((string?)first.Json!["id"], (string?)again.Json!["id"]);
        Assert.Equal((string?)first.Json["createdAt"], (string?)again.Json["createdAt"]);
        await t.MessageTo(address, 2);
        Assert.Equal(HttpStatusCode.OK, (await t.Api("channels", body: new { kind = "email", address }, key: apiKey)).Status);
        await t.MessageTo(address, 3);

        var before = await t.Snapshot();
        var refused = await t.Api("channels", body: new { kind = "email", address }, key: apiKey);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("rate_limited", refused.ErrorCode);
        Assert.Equal("address", refused.ErrorField);
        Assert.True(int.Parse(refused.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture) is > 3000 and <= 3600);
        Assert.Equal(before, await t.Snapshot());

        // Any of the links verifies it; a verified channel added again sends nothing.
        Assert.Equal(HttpStatusCode.OK, (await t.ConfirmJson(AccountsRuntime.ConfirmPath(await t.MessageTo(address, 2)))).Status);
        var outbox = (await t.Outbox()).Count;
        var verified = await t.Api("channels", body: new { kind = "email", address }, key: apiKey);
        Assert.Equal(HttpStatusCode.OK, verified.Status);
        Assert.Equal("verified", (string?)verified.Json!["status"]);
        Assert.Equal(outbox, (await t.Outbox()).Count);

        // The sign-up address is the account's first channel already.
        var own = await t.Api("channels", body: new { kind = "email", address = ownerEmail }, key: apiKey);
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.Equal("verified", (string?)own.Json!["status"]);
    }

    [Fact]
    public async Task An_account_has_at_most_twenty_channels_listed_oldest_first()
    {
        var ownerEmail = $"many-{Guid.NewGuid():N}@example.com";
        var (accountId, apiKey) = await t.NewAccount(ownerEmail);
        for (var i = 1; i < AccountChannels.PerAccount; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await t.Api("channels", body: new { kind = "email", address = $"many-{i}-{accountId}@example.com" }, key: apiKey)).Status);
        }

        var before = await t.Snapshot();
        var refused = await t.Api("channels", body: new { kind = "sms", address = "+14155550199" }, key: apiKey);
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal("too_many_channels", refused.ErrorCode);
        Assert.Equal(before, await t.Snapshot());

        var list = (await t.Api("channels", key: apiKey)).Json!.AsArray();
        Assert.Equal(AccountChannels.PerAccount, list.Count);
        Assert.Equal(ownerEmail, (string?)list[0]!["address"]);
        Assert.Equal([.. Enumerable.Range(1, AccountChannels.PerAccount - 1).Select(i => $"many-{i}-{accountId}@example.com")], list.Skip(1).Select(c => (string?)c!["address"]));

        // Deleting one makes room.
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"channels/{list[5]!["id"]}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Equal(HttpStatusCode.Created, (await t.Api("channels", body: new { kind = "sms", address = "+14155550199" }, key: apiKey)).Status);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://[::ffff:169.254.169.254]/")]
    [InlineData("http://168.63.129.16/")]
    public async Task A_webhook_to_a_metadata_address_is_refused_even_where_private_targets_are_allowed(string url)
    {
        var before = await t.Snapshot();
        var refused = await t.Api("channels", body: new { kind = "webhook", address = url }, key: apiKey);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("target_not_allowed", refused.ErrorCode);
        Assert.Equal("address", refused.ErrorField);
        Assert.Equal(before, await t.Snapshot());
    }

    [Theory]
    [InlineData("""{"kind":"fax","address":"x"}""", "kind", "validation")]
    [InlineData("""{"kind":"EMAIL","address":"a@example.com"}""", "kind", "validation")]
    [InlineData("""{"kind":7,"address":"a@example.com"}""", "kind", "validation")]
    [InlineData("""{"address":"a@example.com"}""", "kind", "validation")]
    [InlineData("""{"kind":"email"}""", "address", "validation")]
    [InlineData("""{"kind":"email","address":""}""", "address", "validation")]
    [InlineData("""{"kind":"email","address":"not an address"}""", "address", "validation")]
    [InlineData("""{"kind":"sms","address":"0415 555 0100"}""", "address", "validation")]
    [InlineData("""{"kind":"sms","address":"+1 415 555 0100 ext 2"}""", "address", "validation")]
    [InlineData("""{"kind":"webhook","address":"ftp://hooks.example.com/x"}""", "address", "validation")]
    [InlineData("""{"kind":"webhook","address":"https://user:pass@hooks.example.com/x"}""", "address", "validation")]
    [InlineData("""{"kind":"webhook","address":"/relative/path"}""", "address", "validation")]
    [InlineData("""{"kind":"email","address":"a@example.com","label":"x"}""", null, "validation")]
    public async Task Channel_requests_are_validated_and_change_nothing(string body, string? field, string code)
    {
        var before = await t.Snapshot();
        var answer = await t.Api("channels", body: body, key: apiKey);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(code, answer.ErrorCode);
        Assert.Equal(field, answer.ErrorField);
        Assert.Equal(before, await t.Snapshot());
    }

    [Fact]
    public async Task A_deleted_channel_is_gone_for_its_link_its_list_and_a_second_delete()
    {
        var address = $"gone-{Guid.NewGuid():N}@example.com";
        var id = (string)(await t.Api("channels", body: new { kind = "email", address }, key: apiKey)).Json!["id"]!;
        var link = AccountsRuntime.ConfirmPath(await t.MessageTo(address));
        var (_, strangerKey) = await t.NewAccount($"stranger-{Guid.NewGuid():N}@example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"channels/{id}", HttpMethod.Delete, key: strangerKey)).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await t.Api($"channels/{id}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.DoesNotContain(id, (await t.Api("channels", key: apiKey)).Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await t.Api($"channels/{id}", HttpMethod.Delete, key: apiKey)).Status);
        Assert.Equal("not_found", (await t.Api("channels/not-a-channel", HttpMethod.Delete, key: apiKey)).ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await t.Api("channels/not-a-channel", HttpMethod.Delete)).Status);

        Assert.Equal(HttpStatusCode.Gone, (await t.Api(link, accept: "application/json")).Status);
        var refused = await t.ConfirmJson(link);
        Assert.Equal(HttpStatusCode.Gone, refused.Status);
        Assert.Equal("gone", refused.ErrorCode);

        // Added again, it has the same id; the old link still belongs to the deleted one.
        Assert.Equal(id, (string?)(await t.Api("channels", body: new { kind = "email", address }, key: apiKey)).Json!["id"]);
        Assert.Equal(HttpStatusCode.Gone, (await t.ConfirmJson(link)).Status);
        Assert.Equal(HttpStatusCode.OK, (await t.ConfirmJson(AccountsRuntime.ConfirmPath(await t.MessageTo(address, 2)))).Status);
    }

    [Fact]
    public async Task A_read_only_key_lists_channels_and_cannot_change_them()
    {
        var readOnly = (string)(await t.Api("keys", body: new { readOnly = true }, key: apiKey)).Json!["apiKey"]!;
        var channelId = (string)(await t.Api("channels", key: apiKey)).Json!.AsArray()[0]!["id"]!;
        var before = await t.Snapshot();

        Assert.Equal(HttpStatusCode.OK, (await t.Api("channels", key: readOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api("channels", body: new { kind = "email", address = "ro@example.com" }, key: readOnly)).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await t.Api($"channels/{channelId}", HttpMethod.Delete, key: readOnly)).Status);
        Assert.Equal(before, await t.Snapshot());
    }

    private async Task<JsonNode> Channel(string id) =>
        (await t.Api("channels", key: apiKey)).Json!.AsArray().Single(c => (string?)c!["id"] == id)!;
}
