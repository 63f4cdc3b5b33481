using DurableTask.Core;

namespace ServerlessMonitor.Local.Durable;

/// <summary>
/// Hands DTFx a fresh shim per work item: a shim holds one execution's state, so the same
/// instance must never serve two (DTFx's NameValueObjectCreator would reuse one).
/// </summary>
internal sealed class ShimCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> create;

    public ShimCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        this.create = create;
    }

    public override T Create() => create();
}
