using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Functions.Http;
using ServerlessMonitor.Functions.OpenApi;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>POST /api/accounts: sign-up, the first half of the double opt-in.</summary>
public sealed class SignupFunction(Signups signups, MonitorConfig config, ILogger<SignupFunction> logger)
{
    [Function("accounts-create")]
    [ApiOperation("Sign up: sends a confirmation link to the address", "accounts", Body = typeof(SignupRequest))]
    [ApiResponse(StatusCodes.Status202Accepted, "A confirmation message is on its way (or, for an address with an account, a lost-key link)", typeof(SignupAnswer))]
    [ApiResponse(StatusCodes.Status429TooManyRequests, "Too many sign-ups for this address, network or deployment lately, or the hour's share of the sending budget for confirmations is used up; nothing was stored (Retry-After says when to try again)", typeof(ApiError))]
    [ApiResponse(StatusCodes.Status503ServiceUnavailable, "Sign-up is not configured here", typeof(ApiError))]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "accounts")] HttpRequest request,
        CancellationToken cancellationToken) =>
        ApiEndpoint.RunAsync(logger, async () =>
        {
            var body = (await JsonBody.ReadObjectAsync(request, cancellationToken).ConfigureAwait(false)).Strict<SignupRequest>();
            var email = EmailAddress.Normalize(body.String("email", required: true)!) ?? throw ApiProblem.Invalid("not an email address", "email");
            var name = body.Text("name", 100, required: false);
            var id = await signups.SignUpAsync(email, name, ClientAddress.Of(request, config), cancellationToken).ConfigureAwait(false);
            return new JsonAnswer(StatusCodes.Status202Accepted, new SignupAnswer(id, "pending"));
        });
}
