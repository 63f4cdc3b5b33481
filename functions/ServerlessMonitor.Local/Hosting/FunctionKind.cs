namespace ServerlessMonitor.Local.Hosting;

public enum FunctionKind
{
    Http,
    Timer,
    Queue,
    Orchestration,
    Activity,
}
