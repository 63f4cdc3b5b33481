import Module from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../functions/catalog.js';

// The Functions host hands @azure/functions a module named @azure/functions-core and reads
// every registration through it. Standing in for that module (the one part of Azure that
// cannot run here) lets this test see exactly the metadata the host would receive, so the
// Azure side cannot drift from the catalog the local runtime serves.

interface Binding {
  type: string;
  direction: string;
  route?: string;
  methods?: string[];
  authLevel?: string;
  schedule?: string;
  runOnStartup?: boolean;
  queueName?: string;
  connection?: string;
}
interface Registration {
  name: string;
  bindings: Record<string, Binding>;
  handler: (...args: unknown[]) => unknown;
}

const registrations: Registration[] = [];

beforeAll(async () => {
  const fakeCore = {
    setProgrammingModel: () => undefined,
    registerFunction: (metadata: { name: string; bindings: Record<string, Binding> }, handler: Registration['handler']) => {
      registrations.push({ name: metadata.name, bindings: metadata.bindings, handler });
      return { dispose: () => undefined };
    },
    registerHook: () => ({ dispose: () => undefined }),
    log: () => undefined,
  };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = function (request: string, ...rest: unknown[]) {
    if (request === '@azure/functions-core') return fakeCore;
    return original.call(this, request, ...rest);
  };
  await import('../../functions/azure.js');
});

function trigger(registration: Registration): Binding {
  const found = Object.values(registration.bindings).find((b) => b.direction === 'in' && b.type.endsWith('Trigger'));
  if (!found) throw new Error(`${registration.name} has no trigger`);
  return found;
}

describe('Azure registration', () => {
  it('registers every catalog entry exactly once', () => {
    expect(registrations.map((r) => r.name).sort()).toEqual(catalog.map((e) => e.name).sort());
  });

  it.each(catalog.map((e) => [e.name, e] as const))('%s has the trigger options of its catalog entry', (name, entry) => {
    const registration = registrations.find((r) => r.name === name)!;
    const binding = trigger(registration);
    switch (entry.kind) {
      case 'http':
        expect(binding).toMatchObject({ type: 'httpTrigger', route: entry.route, authLevel: entry.authLevel });
        expect([...(binding.methods ?? [])].sort()).toEqual([...entry.methods].sort());
        expect(Object.values(registration.bindings).some((b) => b.direction === 'out' && b.type === 'http')).toBe(true);
        break;
      case 'timer':
        expect(binding).toMatchObject({ type: 'timerTrigger', schedule: entry.schedule, runOnStartup: false });
        expect(entry.schedule.split(' ')).toHaveLength(6);
        break;
      case 'queue':
        expect(binding).toMatchObject({ type: 'queueTrigger', queueName: entry.queueName, connection: 'AzureWebJobsStorage' });
        break;
      case 'orchestration':
        expect(binding.type).toBe('orchestrationTrigger');
        break;
      case 'activity':
        expect(binding.type).toBe('activityTrigger');
        break;
    }
    const hasClient = Object.values(registration.bindings).some((b) => b.direction === 'in' && b.type === 'durableClient');
    expect(hasClient).toBe('durableClient' in entry && entry.durableClient === true);
  });

  it('runs a registered HTTP handler with the Azure context and settings', async () => {
    process.env['AzureWebJobsStorage'] =
      'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1';
    process.env['SM_REGION'] = 'westeurope';
    process.env['SM_REGIONS'] = 'westeurope,eastus';
    const { HttpRequest, InvocationContext } = (await import('@azure/functions')).default;
    const health = registrations.find((r) => r.name === 'health')!;
    const response = (await health.handler(
      new HttpRequest({ method: 'GET', url: 'https://app.example/api/health' }),
      new InvocationContext({ functionName: 'health', invocationId: 'test', logHandler: () => undefined }),
    )) as { status: number; jsonBody: { region: string; storage: string } };
    // Port 9 (discard) refuses: the handler must answer 503, not throw.
    expect(response.status).toBe(503);
    expect(response.jsonBody).toMatchObject({ region: 'westeurope', storage: 'error', status: 'error' });
  });
});

describe('durable functions run only in the primary region', () => {
  it('registers orchestrations and activities in the primary and keeps everything else everywhere', async () => {
    const { runsHere } = await import('../../functions/azure.js');
    const orchestration = { kind: 'orchestration', name: 'o', handler: function* () {} } as const;
    const activity = { kind: 'activity', name: 'a', handler: async () => undefined } as const;
    const timer = catalog.find((e) => e.kind === 'timer')!;
    const primary = { SM_REGION: 'westeurope', SM_REGIONS: 'westeurope,eastus' };
    const secondary = { SM_REGION: 'eastus', SM_REGIONS: 'westeurope,eastus' };
    expect(runsHere(orchestration, primary)).toBe(true);
    expect(runsHere(activity, primary)).toBe(true);
    expect(runsHere(orchestration, secondary)).toBe(false);
    expect(runsHere(activity, secondary)).toBe(false);
    expect(runsHere(timer, secondary)).toBe(true);
    const decider = { ...timer, kind: 'timer', primaryOnly: true } as const;
    expect(runsHere(decider, primary)).toBe(true);
    expect(runsHere(decider, secondary)).toBe(false);
    expect(runsHere(orchestration, { ...secondary, SM_PRIMARY_REGION: 'eastus' })).toBe(true);
  });
});

describe('the tick an Azure timer run belongs to', () => {
  it('is read from the schedule, so a run fired a hair early still gets its own minute', async () => {
    const { timerRun } = await import('../../functions/azure.js');
    const timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
    const minute = 29_000_000;
    const top = minute * 60_000;
    expect(timerRun('0 * * * * *', timer, top + 5).minute).toBe(minute);
    expect(timerRun('0 * * * * *', timer, top + 50_000).minute).toBe(minute);
    expect(timerRun('0 * * * * *', timer, top - 5)).toMatchObject({ minute, scheduledAt: new Date(top) });
    expect(timerRun('0 * * * * *', timer, top - 2_500).minute).toBe(minute - 1);
    // A schedule at second 50 fired at 49.9 s belongs to this minute, not the previous one.
    expect(timerRun('50 * * * * *', timer, top + 49_900)).toMatchObject({ minute, scheduledAt: new Date(top + 50_000) });
  });
});
