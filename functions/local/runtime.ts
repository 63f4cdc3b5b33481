import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { catalog as defaultCatalog } from '../catalog.js';
import { loadConfig, type Config } from '../config.js';
import { createServices, type Services } from '../services.js';
import { readSetting, type Env } from '../settings.js';
import { LOCAL_TABLES } from '../storage/names.js';
import {
  noDurableClient,
  type ActivityFunction,
  type FunctionContext,
  type FunctionEntry,
  type HttpFunction,
  type OrchestrationFunction,
  type QueueFunction,
  type TimerFunction,
} from '../runtime.js';
import { LocalDurableStore } from '../storage/local-durable.js';
import { LocalDurableEngine } from './durable/engine.js';
import { startAzurite, type AzuriteHandle } from './azurite.js';
import { devRoutes, RegionFaults } from './dev-routes.js';
import { startHttpServer } from './http-server.js';
import { QueuePoller } from './queues.js';
import { TimerScheduler } from './timers.js';

// The local runtime: runs the same catalog as Azure on one machine. It owns Azurite (unless
// handed a connection string), serves HTTP functions, fires timers once per simulated region
// and polls queues. See DESIGN.md, "One catalog, two runtimes".

export interface LocalRuntimeOptions {
  readonly env?: Env;
  /** Defaults to the app's catalog; tests pass their own entries to exercise the runtime. */
  readonly catalog?: readonly FunctionEntry[];
  /** Use this storage instead of starting Azurite. */
  readonly storageConnectionString?: string;
  /** Azurite keeps its data in memory only (tests). */
  readonly inMemoryStorage?: boolean;
  /** Overrides SM_PORT; 0 picks a free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export interface LocalRuntime {
  readonly url: string;
  readonly regions: readonly string[];
  readonly primary: Config;
  readonly services: Services;
  readonly faults: RegionFaults;
  readonly durable: LocalDurableEngine;
  readonly azurite: AzuriteHandle | undefined;
  /** The catalog entries plus the local-only routes, as served. */
  readonly functions: readonly FunctionEntry[];
  stop(): Promise<void>;
}

export async function startLocalRuntime(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.log(line));
  // Parse once up front so that a bad setting fails before anything starts.
  const draft = loadConfig({ ...env, AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, 'local');
  const dataDir = resolve(draft.dataDir);
  await mkdir(dataDir, { recursive: true });

  const stack: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stack.reverse()) await stop().catch((err: unknown) => log(`shutdown: ${String(err)}`));
    stack.length = 0;
  };

  try {
    let azurite: AzuriteHandle | undefined;
    let connectionString = options.storageConnectionString;
    if (!connectionString) {
      azurite = await startAzurite({ location: join(dataDir, 'azurite'), inMemory: options.inMemoryStorage ?? false });
      stack.push(() => azurite!.stop());
      connectionString = azurite.connectionString;
    }

    const tokenSecret = readSetting(env, 'SM_TOKEN_SECRET') ?? (await localTokenSecret(dataDir));
    const faults = new RegionFaults(draft.regions);
    const entries = [...(options.catalog ?? defaultCatalog), ...devRoutes(faults)];
    const configs = new Map<string, Config>();
    const regionEnv = (region: string, port: number): Env => ({
      ...env,
      SM_REGION: region,
      SM_PORT: String(port),
      SM_DATA_DIR: dataDir,
      AzureWebJobsStorage: connectionString,
      SM_TOKEN_SECRET: tokenSecret,
    });
    // Clients do not depend on the HTTP port, so they exist (and tables too) before any request.
    const services = createServices(loadConfig(regionEnv(draft.primaryRegion, draft.port), 'local'));
    await services.storage.ensure(LOCAL_TABLES);

    const durable: LocalDurableEngine = new LocalDurableEngine({
      store: new LocalDurableStore(services.storage),
      orchestrations: entries.filter((e): e is OrchestrationFunction => e.kind === 'orchestration'),
      activities: entries.filter((e): e is ActivityFunction => e.kind === 'activity'),
      context: (activity) => context(activity, draft.primaryRegion),
      log: (message) => log(`${new Date().toISOString()} ${message}`),
    });
    const context = (entry: FunctionEntry, region: string): FunctionContext => {
      const config = configs.get(region)!;
      const prefix = `[${region}] ${entry.name}:`;
      const line = (level: string) => (message: string, details?: Record<string, unknown>) =>
        log(`${new Date().toISOString()} ${level}${prefix} ${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
      return {
        invocationId: randomUUID(),
        functionName: entry.name,
        region,
        config,
        services,
        isolated: faults.state(region) === 'isolated',
        // As in Azure, only entries that declare the Durable client get one.
        durable: 'durableClient' in entry && entry.durableClient ? durable : noDurableClient(entry.name),
        log: line(''),
        warn: line('WARN '),
        error: line('ERROR '),
      };
    };

    const http = await startHttpServer({
      functions: entries.filter((e): e is HttpFunction => e.kind === 'http'),
      host: '127.0.0.1',
      port: options.port ?? draft.port,
      context: (fn) => context(fn, draft.primaryRegion),
    });
    stack.push(() => http.close());

    // Links carry the real port, known only now that the server listens (SM_PORT may be 0).
    for (const region of draft.regions) configs.set(region, loadConfig(regionEnv(region, http.port), 'local'));
    const primary = configs.get(draft.primaryRegion)!;

    // Resumed only now: activities need the region configs above.
    await durable.start();
    stack.push(() => durable.stop());

    const timers = new TimerScheduler({
      timers: entries.filter((e): e is TimerFunction => e.kind === 'timer'),
      regions: draft.regions,
      primaryRegion: draft.primaryRegion,
      minuteMs: draft.minuteMs,
      regionIsUp: (region) => faults.state(region) !== 'down',
      skip: (timer, region, reason) => log(`${new Date().toISOString()} [${region}] ${timer.name}: skipped: ${reason}`),
      run: async (timer, region, run) => {
        const ctx = context(timer, region);
        try {
          await timer.handler(run, ctx);
        } catch (err) {
          ctx.error('timer run failed', { error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
        }
      },
    });
    timers.start();
    stack.push(() => timers.stop());

    // A queue name with %SM_REGION% is each region's own queue (as the host expands it in
    // Azure): one poller per simulated region, its messages handled in that region.
    const queueBindings = entries
      .filter((e): e is QueueFunction => e.kind === 'queue')
      .flatMap((fn) =>
        fn.queueName.includes('%SM_REGION%')
          ? draft.regions.map((region) => ({ fn, region, queueName: fn.queueName.replaceAll('%SM_REGION%', region) }))
          : [{ fn, region: draft.primaryRegion, queueName: fn.queueName }],
      );
    for (const { fn, region, queueName } of queueBindings) {
      const poller = new QueuePoller({
        fn,
        queue: services.storage.queue(queueName),
        poison: services.storage.queue(`${queueName}-poison`),
        log: (message) => log(`${new Date().toISOString()} ${message}`),
        run: (queueFn, message) => queueFn.handler(message, context(queueFn, region)),
      });
      await services.storage.queue(queueName).createIfNotExists();
      poller.start();
      stack.push(() => poller.stop());
    }

    return {
      url: http.url,
      regions: draft.regions,
      primary,
      services,
      faults,
      durable,
      azurite,
      functions: entries,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A token secret generated on first start and kept with the local data, so links survive restarts. */
async function localTokenSecret(dataDir: string): Promise<string> {
  const file = join(dataDir, 'token-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch {
    // first start
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
