import { app, type InvocationContext, type Timer } from '@azure/functions';
import * as df from 'durable-functions';
import { CronExpressionParser } from 'cron-parser';
import { catalog } from './catalog.js';
import { loadConfig, type Config } from './config.js';
import { readSetting, type Env } from './settings.js';
import { createServices, type Services } from './services.js';
import { noDurableClient, type DurableClientPort, type FunctionContext, type FunctionEntry, type InstanceStatus, type RuntimeStatus, type TimerRun } from './runtime.js';
import { minuteOf } from './clock.js';

// The only file that talks to the Functions host: it registers every catalog entry with
// @azure/functions v4. Settings are read on first use, not at import, so that a bad setting
// shows up as a logged invocation error instead of an app with no functions.

let process_: { config: Config; services: Services } | undefined;

function shared(): { config: Config; services: Services } {
  if (!process_) {
    const config = loadConfig(process.env, 'azure');
    process_ = { config, services: createServices(config) };
  }
  return process_;
}

function toContext(invocation: InvocationContext, entry: FunctionEntry): FunctionContext {
  const { config, services } = shared();
  const details = (d?: Record<string, unknown>) => (d ? [d] : []);
  return {
    invocationId: invocation.invocationId,
    functionName: invocation.functionName,
    region: config.region,
    config,
    services,
    isolated: false,
    durable: 'durableClient' in entry && entry.durableClient ? durableClient(invocation) : noDurableClient(entry.name),
    log: (m, d) => invocation.log(m, ...details(d)),
    warn: (m, d) => invocation.warn(m, ...details(d)),
    error: (m, d) => invocation.error(m, ...details(d)),
  };
}

/** The host may fire a timer a little before its second (clock skew between workers). */
const EARLY_FIRE_MS = 2000;

/**
 * The tick of `schedule` this run belongs to: the latest at or before now, allowing for an
 * early fire. Reading the minute off the clock instead would give a run that fires a hair
 * early the previous minute, whose work is already over.
 */
export function timerRun(schedule: string, timer: Timer, now: number): TimerRun {
  const tick = CronExpressionParser.parse(schedule, { currentDate: new Date(now + EARLY_FIRE_MS), tz: 'UTC' }).prev().getTime();
  return { scheduledAt: new Date(tick), minute: minuteOf(tick, 60_000), isPastDue: timer.isPastDue };
}

/** The Durable client input, bound only to entries that declare `durableClient`. */
const durableInput = (entry: FunctionEntry) => ('durableClient' in entry && entry.durableClient ? { extraInputs: [df.input.durableClient()] } : {});

export function register(entry: FunctionEntry): void {
  switch (entry.kind) {
    case 'http':
      app.http(entry.name, {
        ...durableInput(entry),
        route: entry.route,
        methods: [...entry.methods],
        authLevel: entry.authLevel,
        handler: (request, invocation) => entry.handler(request, toContext(invocation, entry)),
      });
      return;
    case 'timer':
      app.timer(entry.name, {
        ...durableInput(entry),
        schedule: entry.schedule,
        runOnStartup: false,
        useMonitor: true,
        handler: (timer, invocation) => entry.handler(timerRun(entry.schedule, timer, Date.now()), toContext(invocation, entry)),
      });
      return;
    case 'queue':
      app.storageQueue(entry.name, {
        ...durableInput(entry),
        queueName: entry.queueName,
        connection: 'AzureWebJobsStorage',
        handler: (message, invocation) => entry.handler(message, toContext(invocation, entry)),
      });
      return;
    case 'orchestration':
      df.app.orchestration(entry.name, entry.handler);
      return;
    case 'activity':
      df.app.activity(entry.name, {
        ...durableInput(entry),
        handler: (input: unknown, invocation: InvocationContext) => entry.handler(input, toContext(invocation, entry)),
      });
      return;
  }
}

function durableClient(invocation: InvocationContext): DurableClientPort {
  const client = df.getClient(invocation);
  const status = async (instanceId: string): Promise<InstanceStatus | undefined> => {
    try {
      const s = await client.getStatus(instanceId);
      return {
        instanceId,
        name: s.name,
        runtimeStatus: s.runtimeStatus as RuntimeStatus,
        input: s.input,
        output: s.output,
        customStatus: s.customStatus,
        createdTime: new Date(s.createdTime).toISOString(),
        lastUpdatedTime: new Date(s.lastUpdatedTime).toISOString(),
      };
    } catch (err) {
      if (String(err).includes('HTTP 404')) return undefined;
      throw err;
    }
  };
  const running = (s: InstanceStatus | undefined) => s?.runtimeStatus === 'Running' || s?.runtimeStatus === 'Pending';
  return {
    getStatus: status,
    async startNew(orchestration, { instanceId, input }) {
      if (running(await status(instanceId))) return 'exists';
      try {
        await client.startNew(orchestration, { instanceId, input });
        return 'started';
      } catch (err) {
        // host.json sets overridableExistingInstanceStates to NonRunningStates: a start that
        // lost a race with another start fails here instead of replacing the running instance.
        if (running(await status(instanceId))) return 'exists';
        throw err;
      }
    },
    raiseEvent: (instanceId, eventName, data) => client.raiseEvent(instanceId, eventName, data),
    terminate: (instanceId, reason) => client.terminate(instanceId, reason),
  };
}

/**
 * Every regional app shares one storage account and so one Durable task hub; if each
 * registered the orchestrations, whichever app won the hub's lease would run incidents.
 * Only the primary runs them (DESIGN.md: the primary decides and alerts), and the timers
 * marked primaryOnly; the other regions keep the Durable client, which talks to the same hub.
 */
export function runsHere(entry: FunctionEntry, env: Env): boolean {
  const primaryOnly = entry.kind === 'orchestration' || entry.kind === 'activity' || (entry.kind === 'timer' && entry.primaryOnly === true);
  if (!primaryOnly) return true;
  const region = readSetting(env, 'SM_REGION') ?? 'local';
  const regions = (readSetting(env, 'SM_REGIONS') ?? region).split(',').map((r) => r.trim());
  return region === (readSetting(env, 'SM_PRIMARY_REGION') ?? regions[0]);
}

for (const entry of catalog) if (runsHere(entry, process.env)) register(entry);
