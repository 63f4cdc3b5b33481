using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessMonitor.Core;
using ServerlessMonitor.Core.Probes;
using ServerlessMonitor.Core.Settings;
using ServerlessMonitor.Core.Storage;
using ServerlessMonitor.Local.Dev;
using ServerlessMonitor.Local.Durable;
using ServerlessMonitor.Local.Hosting;
using ServerlessMonitor.Local.Http;
using ServerlessMonitor.Local.Queues;
using ServerlessMonitor.Local.Storage;
using ServerlessMonitor.Local.Timers;

namespace ServerlessMonitor.Local;

/// <summary>
/// Runs the Functions assembly on one machine: Azurite (or SM_STORAGE), HTTP on Kestrel, timers
/// once per simulated region, queue triggers, and orchestrations on the real Durable Task engine.
/// Each simulated region gets its own service graph (AddServerlessMonitor with its SM_REGION), as
/// each regional app in Azure has its own.
/// </summary>
public sealed class LocalRuntime : IAsyncDisposable
{
    private readonly List<Func<ValueTask>> stack = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> loops = [];
    private readonly Dictionary<string, ServiceProvider> regions = new(StringComparer.Ordinal);

    private LocalRuntime(MonitorConfig config)
    {
        Config = config;
    }

    /// <summary>The primary region's settings.</summary>
    public MonitorConfig Config { get; private set; }

    /// <summary>http://127.0.0.1:&lt;port&gt;/&lt;prefix&gt;: the base of every route.</summary>
    public Uri ApiUrl { get; private set; } = null!;

    public IReadOnlyList<FunctionEntry> Functions { get; private set; } = [];

    public RegionFaults Faults { get; private set; } = null!;

    public LocalDurableEngine Durable { get; private set; } = null!;

    public AzuriteProcess? Azurite { get; private set; }

    public string StorageConnectionString { get; private set; } = null!;

    public IServiceProvider ServicesOf(string region) => regions[region];

    public static async Task<LocalRuntime> StartAsync(LocalRuntimeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueConsumers, 1);
        var baseSettings = BaseSettings(options, out var reserved);

        // Parse once up front so that a bad setting fails before anything starts.
        var draft = MonitorConfig.Load(Configuration(baseSettings, new() { [SettingCatalog.Storage] = "UseDevelopmentStorage=true" }), RuntimeMode.Local);
        var runtime = new LocalRuntime(draft);
        try
        {
            await runtime.StartAsync(options, baseSettings, draft, reserved, cancellationToken).ConfigureAwait(false);
            return runtime;
        }
        catch
        {
            await runtime.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            reserved?.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(loops).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        for (var i = stack.Count - 1; i >= 0; i--)
        {
            try
            {
                await stack[i]().ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Console.Error.WriteLine($"shutdown: {e.Message}");
            }
        }

        stack.Clear();
        stopping.Dispose();
    }

    private async Task StartAsync(LocalRuntimeOptions options, Dictionary<string, string?> baseSettings, MonitorConfig draft, System.Net.Sockets.TcpListener? reserved, CancellationToken cancellationToken)
    {
        var log = options.Log;
        var dataDir = Path.GetFullPath(draft.DataDir);
        Directory.CreateDirectory(dataDir);
        var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));
        stack.Add(() => { loggerFactory.Dispose(); return ValueTask.CompletedTask; });

        var connectionString = baseSettings.GetValueOrDefault(SettingCatalog.LocalStorage);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Azurite = await AzuriteProcess.StartAsync(options.InMemoryStorage ? null : Path.Combine(dataDir, "azurite"), log, cancellationToken).ConfigureAwait(false);
            stack.Add(Azurite.DisposeAsync);
            connectionString = Azurite.ConnectionString;
        }

        StorageConnectionString = connectionString;
        var shared = new Dictionary<string, string?>
        {
            [SettingCatalog.Storage] = connectionString,
            [SettingCatalog.TokenSecret] = baseSettings.GetValueOrDefault(SettingCatalog.TokenSecret) is { Length: > 0 } secret ? secret : await LocalSecretAsync(dataDir, "token-secret", cancellationToken).ConfigureAwait(false),
            [SettingCatalog.WebhookKey] = baseSettings.GetValueOrDefault(SettingCatalog.WebhookKey) is { Length: > 0 } key ? key : await LocalSecretAsync(dataDir, "webhook-key", cancellationToken).ConfigureAwait(false),
            [SettingCatalog.DataDir] = dataDir,
        };

        Faults = new RegionFaults(draft.Regions);
        foreach (var region in draft.Regions)
        {
            var configuration = Configuration(baseSettings, new(shared) { [SettingCatalog.Region] = region });
            var collection = new ServiceCollection()
                .AddSingleton(loggerFactory)
                .AddSingleton(typeof(ILogger<>), typeof(Logger<>))
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton<IProbeNetwork>(new RegionProbeNetwork(Faults, region, new ProbeNetwork()))
                .AddServerlessMonitor(configuration, RuntimeMode.Local);
            options.ConfigureServices?.Invoke(collection);
            var services = collection.BuildServiceProvider();
            regions[region] = services;
            stack.Add(services.DisposeAsync);
        }

        var primary = regions[draft.PrimaryRegion];
        Config = primary.GetRequiredService<MonitorConfig>();
        await primary.GetRequiredService<StorageClients>().EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        Functions = FunctionCatalog.Discover(options.FunctionAssemblies);
        var host = HostJson.Load();

        Durable = await LocalDurableEngine.StartAsync(connectionString, Config.TaskHub, Functions, () => new FunctionInvoker(Durable.Client), primary, loggerFactory).ConfigureAwait(false);
        stack.Add(Durable.DisposeAsync);
        var invoker = new FunctionInvoker(Durable.Client);

        // The port chosen for SM_PORT=0 was held until now, so that nothing else (Azurite, a
        // test's servers) could be given it meanwhile; it is let go just before Kestrel binds it.
        reserved?.Dispose();
        var http = await HttpHost.StartAsync(Config.Port, host.RoutePrefix, Routes(invoker, primary, Path.Combine(dataDir, "outbox.jsonl")), loggerFactory, cancellationToken).ConfigureAwait(false);
        stack.Add(http.DisposeAsync);
        ApiUrl = new Uri(http.BaseUrl, host.RoutePrefix + "/");

        StartTimers(invoker, log);
        StartQueues(invoker, host, loggerFactory, options.QueueConsumers);
        PrintSummary(log, dataDir);
    }

    private Dictionary<string, IReadOnlyDictionary<string, RequestDelegate>> Routes(FunctionInvoker invoker, IServiceProvider services, string outboxFile)
    {
        var routes = Functions
            .Where(f => f.Kind == FunctionKind.Http)
            .GroupBy(f => f.Route!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(
                g => g.Key,
                g => (IReadOnlyDictionary<string, RequestDelegate>)g
                    .SelectMany(f => f.Methods.Select(m => (Method: m, Function: f)))
                    .ToDictionary(x => x.Method, x => (RequestDelegate)(context => InvokeHttp(invoker, services, x.Function, context))));
        foreach (var (route, methods) in DevRoutes.For(Faults, outboxFile))
        {
            routes.Add(route, methods);
        }

        return routes;
    }

    private static async Task InvokeHttp(FunctionInvoker invoker, IServiceProvider services, FunctionEntry function, HttpContext context)
    {
        await using var scope = services.CreateAsyncScope();
        var routeValues = context.GetRouteData().Values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value?.ToString(), StringComparer.OrdinalIgnoreCase);
        var result = await invoker.InvokeAsync(
            function,
            scope.ServiceProvider,
            context.Request,
            routeValues,
            context.RequestAborted,
            fc => fc.Items["HttpRequestContext"] = context).ConfigureAwait(false);
        await HttpHost.ExecuteAsync(context, result).ConfigureAwait(false);
    }

    private void StartTimers(FunctionInvoker invoker, Action<string> log)
    {
        var scheduler = new TimerScheduler(Config.MinuteLength, TimeProvider.System);
        foreach (var timer in Functions.Where(f => f.Kind == FunctionKind.Timer))
        {
            foreach (var (region, services) in regions)
            {
                loops.Add(scheduler.RunAsync(
                    timer.Schedule!,
                    (info, ct) => Faults[region] == RegionState.Down ? Task.CompletedTask : InvokeLogged(invoker, timer, services, info, ct, log, region),
                    reason => log($"{timer.Name}@{region}: tick skipped: {reason}"),
                    stopping.Token));
            }
        }
    }

    private void StartQueues(FunctionInvoker invoker, HostJson host, ILoggerFactory loggerFactory, int consumers)
    {
        var logger = loggerFactory.CreateLogger<QueuePoller>();
        foreach (var function in Functions.Where(f => f.Kind == FunctionKind.Queue))
        {
            // A queue named per region (%SM_REGION%) is polled by that region's app only; one shared
            // name is polled once, as every regional app would share its messages.
            var byName = regions
                .Select(r => (Name: Expand(function.QueueName!, r.Value.GetRequiredService<IConfiguration>()), Services: r.Value))
                .DistinctBy(x => x.Name, StringComparer.Ordinal);
            foreach (var (name, services) in byName)
            {
                var clients = services.GetRequiredService<StorageClients>();
                for (var consumer = 0; consumer < consumers; consumer++)
                {
                    var poller = new QueuePoller(clients.Queue(name), clients.Queue($"{name}-poison"), host, (message, ct) => invoker.InvokeAsync(function, services, message, null, ct), logger);
                    loops.Add(poller.RunAsync(stopping.Token));
                }
            }
        }
    }

    private static async Task InvokeLogged(FunctionInvoker invoker, FunctionEntry function, IServiceProvider services, object trigger, CancellationToken ct, Action<string> log, string region)
    {
        try
        {
            await invoker.InvokeAsync(function, services, trigger, null, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            log($"{function.Name}@{region} failed: {e.Message}");
        }
    }

    /// <summary>Expands %SETTING% in a binding expression, as the Functions host does with app settings.</summary>
    private static string Expand(string expression, IConfiguration configuration) =>
        System.Text.RegularExpressions.Regex.Replace(expression, "%([^%]+)%", m => configuration[m.Groups[1].Value] ?? throw new InvalidOperationException($"{expression}: setting {m.Groups[1].Value} is not set"));

    private void PrintSummary(Action<string> log, string dataDir)
    {
        log($"Serverless Monitor {AppInfo.Version}, local runtime");
        log(Azurite is { } a
            ? $"  storage: Azurite (pid {a.ProcessId}; blob {a.BlobPort}, queue {a.QueuePort}, table {a.TablePort}), data in {dataDir}"
            : "  storage: SM_STORAGE");
        log($"  regions: {string.Join(", ", Config.Regions.Select(r => r == Config.PrimaryRegion ? $"{r} (primary)" : r))}; scheduling minute {Config.MinuteLength.TotalSeconds:0.###} s");
        foreach (var group in Functions.GroupBy(f => f.Kind))
        {
            var names = group.Select(f => f.Kind switch
            {
                FunctionKind.Http => $"{f.Name} ({string.Join(",", f.Methods)} /{f.Route})",
                FunctionKind.Timer => $"{f.Name} ({f.Schedule})",
                FunctionKind.Queue => $"{f.Name} ({f.QueueName})",
                _ => f.Name,
            });
            log($"  {group.Key.ToString().ToLowerInvariant()}: {string.Join(", ", names)}");
        }

        log($"Listening on {ApiUrl}  (Ctrl-C stops)");
    }

    /// <param name="reserved">For SM_PORT=0: a listener holding the port picked, to be let go when the HTTP host binds it.</param>
    private static Dictionary<string, string?> BaseSettings(LocalRuntimeOptions options, out System.Net.Sockets.TcpListener? reserved)
    {
        reserved = null;
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (options.ReadEnvironment)
        {
            foreach (var spec in SettingCatalog.All)
            {
                if (Environment.GetEnvironmentVariable(spec.Name) is { } value)
                {
                    settings[spec.Name] = value;
                }
            }
        }

        foreach (var (name, value) in options.Settings)
        {
            settings[name] = value;
        }

        // The local runtime's own storage replaces any connection string from the environment.
        settings.Remove(SettingCatalog.Storage);

        // Port 0: take a free port now, so that links (SM_PUBLIC_BASE_URL's default) name the real one.
        if (settings.GetValueOrDefault(SettingCatalog.Port)?.Trim() == "0")
        {
            reserved = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
            reserved.Start();
            settings[SettingCatalog.Port] = ((System.Net.IPEndPoint)reserved.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static IConfiguration Configuration(Dictionary<string, string?> baseSettings, Dictionary<string, string?> overrides) =>
        new ConfigurationBuilder().AddInMemoryCollection(baseSettings).AddInMemoryCollection(overrides).Build();

    /// <summary>A secret of this machine's own, made once and kept in the data folder.</summary>
    private static async Task<string> LocalSecretAsync(string dataDir, string name, CancellationToken cancellationToken)
    {
        var file = Path.Combine(dataDir, name);
        if (File.Exists(file) && (await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)).Trim() is { Length: >= 32 } existing)
        {
            return existing;
        }

        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(36));
        await File.WriteAllTextAsync(file, secret, cancellationToken).ConfigureAwait(false);
        return secret;
    }
}
