using ServerlessMonitor.Core.Probes;

namespace ServerlessMonitor.Tests.Probes;

/// <summary>
/// Which failures say nothing about the target (errors.test.ts isLocalFault): the only ones the
/// cycle counts toward a region's error rate, so a region is not distrusted for its targets' faults.
/// </summary>
public sealed class LocalFaultTests
{
    [Theory]
    [InlineData(ErrorClass.Timeout, "ETIMEDOUT")]
    [InlineData(ErrorClass.Dns, "EAI_AGAIN")]
    [InlineData(ErrorClass.Dns, "ESERVFAIL")]
    [InlineData(ErrorClass.Dns, "ETIMEOUT")]
    [InlineData(ErrorClass.Dns, "ECONNREFUSED")]
    [InlineData(ErrorClass.Dns, "EREFUSED")]
    [InlineData(ErrorClass.Connect, "ENETUNREACH")]
    [InlineData(ErrorClass.Connect, "EHOSTUNREACH")]
    public void Failures_of_our_resolver_or_network_are_local(ErrorClass errorClass, string code) =>
        Assert.True(new ProbeError(errorClass, "x", code).IsLocalFault);

    [Theory]
    [InlineData(ErrorClass.Timeout, null)]
    [InlineData(ErrorClass.Dns, "ENOTFOUND")]
    [InlineData(ErrorClass.Dns, "ENODATA")]
    [InlineData(ErrorClass.Dns, null)]
    [InlineData(ErrorClass.Connect, "ECONNREFUSED")]
    [InlineData(ErrorClass.Tls, "ETIMEDOUT")]
    [InlineData(ErrorClass.Protocol, "ETIMEDOUT")]
    [InlineData(ErrorClass.Status, "ETIMEDOUT")]
    [InlineData(ErrorClass.Content, "ETIMEDOUT")]
    [InlineData(ErrorClass.Blocked, "ETIMEDOUT")]
    public void Failures_of_the_target_are_not(ErrorClass errorClass, string? code) =>
        Assert.False(new ProbeError(errorClass, "x", code).IsLocalFault);
}
