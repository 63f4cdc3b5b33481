using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Accounts.Channels;
using ServerlessMonitor.Core.Alerts;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Channels;

/// <summary>POST /api/channels: adds a channel, pending until its address confirms (a link, or a webhook challenge).</summary>
public sealed class CreateChannelFunction(Keys keys, AccountChannels channels, ILogger<CreateChannelFunction> logger)
{
    [Function("channels-create")]
    [ApiOperation("Add a channel; a confirmation goes to its address", "channels", Auth = ApiAuth.Key, Body = typeof(ChannelCreateRequest))]
    [ApiResponse(StatusCodes.Status201Created, "Added, pending its confirmation (a new webhook's answer carries its signingSecret, once)", typeof(ChannelBody))]
    [ApiResponse(StatusCodes.Status200OK, "The account has this channel already (a pending one gets its confirmation again)", typeof(ChannelBody))]
    [ApiResponse(StatusCodes.Status409Conflict, "The account has 20 channels already (too_many_channels)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status429TooManyRequests, "Confirmations sent to this address too often lately, or the hour's share of the sending budget for confirmations is used up (Retry-After says when to try again)", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "channels")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var caller = await Authentication.CallerAsync(request, keys, cancellationToken).ConfigureAwait(false);
            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<ChannelCreateRequest>();
            var kind = body.String("kind", required: true) switch
            {
                "email" => ChannelKind.Email,
                "sms" => ChannelKind.Sms,
                "webhook" => ChannelKind.Webhook,
                _ => throw ApiProblem.Invalid("expected one of email, sms, webhook", "kind"),
            };
            var address = body.String("address", required: true)!;
            if (address.Length == 0)
            {
                throw ApiProblem.Invalid("the address must not be empty", "address");
            }

            var added = await channels.AddAsync(caller.AccountId, kind, address, cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(added.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK, ChannelBody.From(added.Channel, added.SigningSecret));
        });
}
