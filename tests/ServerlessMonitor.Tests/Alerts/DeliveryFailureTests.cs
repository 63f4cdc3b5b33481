using System.Net.Http;
using System.Net.Sockets;
using Azure;
using Azure.Identity;
using ServerlessMonitor.Core.Alerts;

namespace ServerlessMonitor.Tests.Alerts;

/// <summary>Which failures are safe, uncertain or final: the rule the sender's retries rest on.</summary>
public sealed class DeliveryFailureTests
{
    [Theory]
    [InlineData(429, RetryKind.Safe)]
    [InlineData(408, RetryKind.Uncertain)]
    [InlineData(500, RetryKind.Uncertain)]
    [InlineData(502, RetryKind.Uncertain)]
    [InlineData(503, RetryKind.Uncertain)]
    [InlineData(504, RetryKind.Uncertain)]
    [InlineData(400, RetryKind.Never)]
    [InlineData(401, RetryKind.Never)]
    [InlineData(403, RetryKind.Never)]
    [InlineData(404, RetryKind.Never)]
    [InlineData(412, RetryKind.Never)]
    [InlineData(413, RetryKind.Never)]
    public void Classifies_an_answer_by_its_status(int status, RetryKind expected)
    {
        var failed = DeliveryFailure.FromStatus(status, "why", TimeSpan.FromSeconds(5));

        Assert.Equal(new DeliveryOutcome.Failed(expected, $"HTTP {status}: why", status, TimeSpan.FromSeconds(5)), failed);
    }

    public static TheoryData<Exception, RetryKind> Exceptions => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused", new SocketException((int)SocketError.ConnectionRefused)), RetryKind.Safe },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), RetryKind.Safe },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "TLS handshake failed"), RetryKind.Safe },
        { new RequestFailedException("wrapped by Azure.Core", new HttpRequestException(HttpRequestError.ConnectionError, "refused")), RetryKind.Safe },
        { new AuthenticationFailedException("no token"), RetryKind.Safe },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "the connection closed mid-answer"), RetryKind.Uncertain },
        { new RequestFailedException("wrapped by Azure.Core", new IOException("connection reset")), RetryKind.Uncertain },
        { new TaskCanceledException("network timeout", new TimeoutException()), RetryKind.Uncertain },
        { new InvalidOperationException("something else"), RetryKind.Uncertain },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void Classifies_a_try_without_an_answer_by_whether_it_can_have_left(Exception error, RetryKind expected)
    {
        var failed = DeliveryFailure.FromException(error);

        Assert.Equal((expected, (int?)null, (TimeSpan?)null), (failed.Retry, failed.Status, failed.RetryAfter));
    }

    [Fact]
    public void Says_when_a_try_timed_out()
    {
        var failed = DeliveryFailure.FromException(new TaskCanceledException("The operation was cancelled because it exceeded the configured timeout.", new TimeoutException("30 s")));

        Assert.Equal("timed out: 30 s", failed.Error);
    }

    [Theory]
    [InlineData("120", 120.0)]
    [InlineData(" 7 ", 7.0)]
    [InlineData("Sun, 29 Nov 2026 12:01:00 GMT", 60.0)]
    [InlineData("Sun, 29 Nov 2026 11:00:00 GMT", 0.0)]
    [InlineData("soon", null)]
    [InlineData("-5", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Reads_Retry_After_as_seconds_or_a_date(string? header, double? seconds)
    {
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, RetryAfterHeader.Parse(header, WatchedClock.Noon));
    }
}
