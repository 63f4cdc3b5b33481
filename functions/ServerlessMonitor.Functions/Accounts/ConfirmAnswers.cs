using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using ServerlessMonitor.Core.Accounts;
using ServerlessMonitor.Functions.Http;

namespace ServerlessMonitor.Functions.Accounts;

/// <summary>How a confirmation link answers: a page for people, JSON for programs that ask for it.</summary>
public static class ConfirmAnswers
{
    /// <summary>Programs ask for JSON; browsers (which also accept anything) get the page.</summary>
    public static bool WantsJson(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accept = request.Headers.Accept.ToString();
        return accept.Contains("application/json", StringComparison.OrdinalIgnoreCase) && !accept.Contains("text/html", StringComparison.OrdinalIgnoreCase);
    }

    public static IActionResult Refused(Refusal refusal, bool json)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return json
            ? Refusals.Answer(refusal)
            : new HtmlAnswer(Refusals.StatusOf(refusal.Kind), ConfirmPages.Problem(refusal.Kind == RefusalKind.Gone ? "This link no longer works" : "Not now", refusal.Message));
    }
}
