import { app, type InvocationContext, type Timer } from '@azure/functions';
import { catalog } from './catalog.js';
import { loadConfig, type Config } from './config.js';
import { createServices, type Services } from './services.js';
import type { FunctionContext, FunctionEntry, TimerRun } from './runtime.js';
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

function toContext(invocation: InvocationContext): FunctionContext {
  const { config, services } = shared();
  const details = (d?: Record<string, unknown>) => (d ? [d] : []);
  return {
    invocationId: invocation.invocationId,
    functionName: invocation.functionName,
    region: config.region,
    config,
    services,
    log: (m, d) => invocation.log(m, ...details(d)),
    warn: (m, d) => invocation.warn(m, ...details(d)),
    error: (m, d) => invocation.error(m, ...details(d)),
  };
}

/** Azure fires a timer close to its scheduled second; the scheduled time is that minute's. */
export function timerRun(timer: Timer, now: number, minuteMs = 60_000): TimerRun {
  const minute = minuteOf(now, minuteMs);
  return { scheduledAt: new Date(minute * minuteMs), minute, isPastDue: timer.isPastDue };
}

export function register(entry: FunctionEntry): void {
  switch (entry.kind) {
    case 'http':
      app.http(entry.name, {
        route: entry.route,
        methods: [...entry.methods],
        authLevel: entry.authLevel,
        handler: (request, invocation) => entry.handler(request, toContext(invocation)),
      });
      return;
    case 'timer':
      app.timer(entry.name, {
        schedule: entry.schedule,
        runOnStartup: false,
        useMonitor: true,
        handler: (timer, invocation) => entry.handler(timerRun(timer, Date.now()), toContext(invocation)),
      });
      return;
    case 'queue':
      app.storageQueue(entry.name, {
        queueName: entry.queueName,
        connection: 'AzureWebJobsStorage',
        handler: (message, invocation) => entry.handler(message, toContext(invocation)),
      });
      return;
  }
}

for (const entry of catalog) register(entry);
