namespace ServerlessMonitor.Core.Alerts;

/// <summary>Messages of one kind counted in one hour, by priority.</summary>
public sealed record BudgetUse(int Alerts, int Confirmations)
{
    public int Total => Alerts + Confirmations;

    public BudgetUse Plus(MessagePriority priority) =>
        priority == MessagePriority.Alert ? this with { Alerts = Alerts + 1 } : this with { Confirmations = Confirmations + 1 };
}
