using System.Collections.Immutable;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessMonitor.Local.Hosting;

/// <summary>
/// The FunctionContext a function sees in the local runtime: its services, name and cancellation.
/// The HTTP context sits in Items where the worker's GetHttpContext() looks for it.
/// </summary>
internal sealed class LocalFunctionContext : FunctionContext
{
    public LocalFunctionContext(FunctionEntry entry, IServiceProvider services, CancellationToken cancellationToken)
    {
        InstanceServices = services;
        FunctionDefinition = new Definition(entry);
        CancellationToken = cancellationToken;
    }

    public override string InvocationId { get; } = Guid.NewGuid().ToString();

    public override string FunctionId => FunctionDefinition.Id;

    public override TraceContext TraceContext { get; } = new EmptyTraceContext();

    public override BindingContext BindingContext { get; } = new EmptyBindingContext();

    public override RetryContext RetryContext => null!;

    public override IServiceProvider InstanceServices { get; set; }

    public override FunctionDefinition FunctionDefinition { get; }

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException("invocation features are not available in the local runtime");

    public override CancellationToken CancellationToken { get; }

    private sealed class EmptyTraceContext : TraceContext
    {
        public override string TraceParent => string.Empty;

        public override string TraceState => string.Empty;
    }

    private sealed class EmptyBindingContext : BindingContext
    {
        public override IReadOnlyDictionary<string, object?> BindingData { get; } = new Dictionary<string, object?>();
    }

    private sealed class Definition(FunctionEntry entry) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters { get; } = [];

        public override string PathToAssembly => entry.Method.DeclaringType!.Assembly.Location;

        public override string EntryPoint => $"{entry.Method.DeclaringType!.FullName}.{entry.Method.Name}";

        public override string Id => entry.Name;

        public override string Name => entry.Name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings { get; } = ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
