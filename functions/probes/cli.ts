import { parseArgs } from 'node:util';
import { parseBoolean, readSetting, SettingsError } from '../settings.js';
import { probe } from './index.js';
import { MONITOR_TYPES, expectSchema, type Expect, type MonitorType, type ProbeOutcome } from './spec.js';
import { parseTarget } from './target.js';

// `npm run probe -- <target> [--type T] [--timeout S] [--expect JSON] [--json]`: one probe
// from this machine, printed as a table or as the result JSON of the API. Run by a person
// on their own machine, it may probe loopback and private addresses unless
// SM_ALLOW_PRIVATE_TARGETS=false says otherwise.
// Exit codes: 0 the probe passed, 2 it failed, 1 the command was wrong.

const USAGE = `Usage: npm run probe -- <target> [--type T] [--timeout S] [--expect JSON] [--json]

  <target>      https://example.com/health, mail.example.com:25, example.com, ...
  --type T      ${MONITOR_TYPES.join(', ')}
                default: http(s) for URLs, tcp for host:port, ping for a bare host
  --timeout S   seconds for the whole probe (default 10)
  --expect JSON type-specific checks, e.g. '{"keyword":"OK"}' or '{"recordType":"MX"}'
  --json        print the result as JSON (the API's result shape)

Exit code: 0 when the probe passed, 2 when it failed, 1 on bad usage.
SM_ALLOW_PRIVATE_TARGETS=false applies the production address policy (default here: true).`;

const DEFAULT_TIMEOUT_SECONDS = 10;

class UsageError extends Error {}

interface Invocation {
  readonly type: MonitorType;
  readonly target: string;
  readonly timeoutMs: number;
  readonly expect: Expect | undefined;
  readonly json: boolean;
  readonly allowPrivateTargets: boolean;
  readonly region: string;
}

/** The type a person most likely means: a URL's scheme, a port means tcp, a bare host means ping. */
function inferType(target: string): MonitorType {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(target)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') return scheme;
  if (scheme !== undefined) throw new UsageError(`cannot tell the type of a ${scheme}:// target; give --type`);
  return parseTarget('tcp', target).ok ? 'tcp' : 'ping';
}

function parseExpect(type: MonitorType, text: string | undefined): Expect | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--expect is not JSON: ${text}`);
  }
  const parsed = expectSchema(type).safeParse(value);
  if (!parsed.success) throw new UsageError(`--expect does not fit type ${type}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'expect'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function parseInvocation(argv: readonly string[], env: NodeJS.ProcessEnv): Invocation | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        type: { type: 'string', short: 't' },
        timeout: { type: 'string' },
        expect: { type: 'string', short: 'e' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'a target is needed' : `one target at a time, got ${positionals.length}`);
  const target = positionals[0]!;
  const type = values.type ?? inferType(target);
  if (!(MONITOR_TYPES as readonly string[]).includes(type)) throw new UsageError(`unknown type "${type}"; one of ${MONITOR_TYPES.join(', ')}`);
  const monitorType = type as MonitorType;
  const checked = parseTarget(monitorType, target);
  if (!checked.ok) throw new UsageError(`target for ${monitorType}: ${checked.message}`);
  const seconds = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 120) throw new UsageError(`--timeout takes seconds from 0 to 120, got "${values.timeout}"`);
  let allowPrivateTargets: boolean;
  try {
    allowPrivateTargets = parseBoolean('SM_ALLOW_PRIVATE_TARGETS', readSetting(env, 'SM_ALLOW_PRIVATE_TARGETS'), true);
  } catch (error) {
    throw new UsageError(error instanceof SettingsError ? error.message : String(error));
  }
  return {
    type: monitorType,
    target,
    timeoutMs: Math.round(seconds * 1000),
    expect: parseExpect(monitorType, values.expect),
    json: values.json ?? false,
    allowPrivateTargets,
    region: readSetting(env, 'SM_REGION') ?? 'local',
  };
}

function milliseconds(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(3)} ms`;
}

function table(invocation: Invocation, outcome: ProbeOutcome): string {
  const rows: Array<[string, string | undefined]> = [
    ['result', outcome.ok ? 'ok' : `FAILED — ${outcome.error?.class}: ${outcome.error?.message}${outcome.error?.code ? ` [${outcome.error.code}]` : ''}`],
    ['status', outcome.status?.toString()],
    ['address', outcome.remoteAddress],
    ['server', outcome.server],
    ['certificate', outcome.certificateExpiresAt && `expires ${outcome.certificateExpiresAt}`],
    ['warning', outcome.warning],
    ['answers', outcome.answers?.join(', ')],
    ['dns', milliseconds(outcome.phases.dns)],
    ['connect', milliseconds(outcome.phases.connect)],
    ['tls', milliseconds(outcome.phases.tls)],
    ['first byte', milliseconds(outcome.phases.firstByte)],
    ['total', milliseconds(outcome.phases.total)],
  ];
  const kind = invocation.type === 'ping' ? 'ping, as a TCP connect' : invocation.type;
  const lines = [`${invocation.target} (${kind}, timeout ${invocation.timeoutMs / 1000} s)`];
  for (const [name, value] of rows) if (value !== undefined) lines.push(`  ${name.padEnd(12)}${value}`);
  return lines.join('\n');
}

async function main(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let invocation: Invocation | 'help';
  try {
    invocation = parseInvocation(argv, env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`probe: ${error.message}\n\n${USAGE}`);
    return 1;
  }
  if (invocation === 'help') {
    console.log(USAGE);
    return 0;
  }
  const at = new Date().toISOString();
  const outcome = await probe(
    { type: invocation.type, target: invocation.target, timeoutMs: invocation.timeoutMs, ...(invocation.expect ? { expect: invocation.expect } : {}) },
    { allowPrivateTargets: invocation.allowPrivateTargets },
  );
  if (invocation.json) {
    console.log(JSON.stringify({ at, region: invocation.region, type: invocation.type, target: invocation.target, ...outcome }, null, 2));
  } else {
    console.log(table(invocation, outcome));
  }
  return outcome.ok ? 0 : 2;
}

process.exitCode = await main(process.argv.slice(2), process.env);
