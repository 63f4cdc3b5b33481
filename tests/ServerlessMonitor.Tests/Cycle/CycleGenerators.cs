using FsCheck;
using FsCheck.Fluent;
using ServerlessMonitor.Core.Cycle;
using ServerlessMonitor.Core.Monitors;

namespace ServerlessMonitor.Tests.Cycle;

/// <summary>Generators shared by the cycle's properties.</summary>
internal static class CycleGenerators
{
    private const string IdCharacters = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Monitor ids shaped as the app makes them: "m" and 20 lower-case letters or digits.</summary>
    public static Gen<string> MonitorId { get; } =
        Gen.Elements(IdCharacters.ToCharArray()).ArrayOf(20).Select(chars => "m" + new string(chars));

    public static Gen<int> Interval { get; } = Gen.Elements(MonitorLimits.Intervals.ToArray());

    /// <summary>Minute indexes from the epoch to far beyond Int32, as scaled local minutes reach.</summary>
    public static Gen<long> Minute { get; } =
        Gen.Choose(0, int.MaxValue).Zip(Gen.Choose(0, 511), (low, high) => ((long)high << 31) | (long)low);
}
