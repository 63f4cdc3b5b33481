using System.Security.Cryptography.X509Certificates;

namespace ServerlessMonitor.Tests.Support.FakeAcs;

/// <summary>How to start a fake ACS.</summary>
public sealed record FakeAcsOptions
{
    /// <summary>The fake's clock: x-ms-date skew and the repeatability window are judged by it.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Serve https with this certificate (bearer tokens are only sent over TLS).</summary>
    public X509Certificate2? Certificate { get; init; }

    /// <summary>Accept this Microsoft Entra token (<c>Authorization: Bearer …</c>) instead of HMAC signatures.</summary>
    public string? BearerToken { get; init; }
}
