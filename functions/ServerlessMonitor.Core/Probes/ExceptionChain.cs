namespace ServerlessMonitor.Core.Probes;

/// <summary>
/// What a wrapped exception really was: HttpClient, SslStream and DnsClient wrap the socket
/// error or the probe's own finding that decides a result's class and code.
/// </summary>
internal static class ExceptionChain
{
    public static T? Find<T>(Exception? error)
        where T : Exception
    {
        for (var current = error; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    public static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }
}
