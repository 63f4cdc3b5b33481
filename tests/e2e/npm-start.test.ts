import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TableClient } from '@azure/data-tables';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectionStringFor } from '../../functions/local/azurite.js';
import { callApi, waitFor } from '../support/runtime.js';

// `npm start` as a person runs it: the real command, its printed summary, Ctrl-C, and a
// second start on the same data folder.

interface Started {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly url: string;
  readonly azuritePid: number;
  readonly tablePort: number;
}

let dataDir: string;
const spawned: ChildProcess[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'sm-start-'));
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));
// A failed test must not leave its process group (npm, sh, node, Azurite) running.
afterEach(() => {
  for (const child of spawned.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) killGroup(child, 'SIGKILL');
  }
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

function env(): NodeJS.ProcessEnv {
  return { ...process.env, SM_PORT: '0', SM_DATA_DIR: dataDir, SM_MINUTE_SECONDS: '1', SM_REGIONS: 'eu,us' };
}

async function start(command: string, args: string[]): Promise<Started> {
  // Its own process group, like a job in a terminal, so Ctrl-C can be sent to all of it.
  const child = spawn(command, args, { env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  spawned.push(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const early = new Promise<never>((_, fail) =>
    child.once('exit', (code) => fail(new Error(`exited early with code ${code}:\n${output}`))),
  );
  const summary = await Promise.race([
    early,
    waitFor(
      () => /running at (http:\/\/\S+)\/api[\s\S]*Azurite pid (\d+), tables on port (\d+)[\s\S]*Ctrl-C/.exec(output) ?? undefined,
      200_000,
      'the start-up summary',
    ),
  ]);
  early.catch(() => undefined);
  return { child, output: () => output, url: summary[1]!, azuritePid: Number(summary[2]), tablePort: Number(summary[3]) };
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((done) => child.once('exit', (code) => done(code)));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function regionsTable(tablePort: number): TableClient {
  // Only the table endpoint matters here; the other ports are placeholders.
  return TableClient.fromConnectionString(connectionStringFor({ blob: 1, queue: 1, table: tablePort }), 'regions', {
    allowInsecureConnection: true,
  });
}

describe('npm start', () => {
  it('builds, starts Azurite and every timer per region, serves HTTP, and stops cleanly on Ctrl-C', async () => {
    const run = await start('npm', ['start', '--silent']);
    expect(run.output()).toMatch(/regions: +eu, us \(primary eu\)/);
    expect((await callApi(run.url, 'health')).json).toMatchObject({ status: 'ok', storage: 'ok', region: 'eu' });
    // Both regions' heartbeat timers write through Azurite.
    const table = regionsTable(run.tablePort);
    await waitFor(async () => {
      const rows = [];
      for await (const row of table.listEntities()) rows.push(row.rowKey);
      return rows.includes('eu') && rows.includes('us');
    }, 30_000, 'heartbeats from both regions');
    await table.upsertEntity({ partitionKey: 'test', rowKey: 'kept', value: 'survives a restart' });

    // Ctrl-C: the terminal signals the whole foreground job (npm, its shell, node).
    killGroup(run.child, 'SIGINT');
    await exited(run.child);
    expect(run.output()).toMatch(/SIGINT: stopping…[\s\S]*Stopped\./);
    // Nothing of the job is left: not node, not its Azurite child (same process group).
    await waitFor(() => !alive(run.azuritePid) && !alive(-run.child.pid!), 10_000, 'every process of the job to exit');
  }, 240_000);

  it('keeps the data on restart', async () => {
    const secret = await readFile(join(dataDir, 'token-secret'), 'utf8');
    const run = await start(process.execPath, ['--import', 'tsx', 'functions/local/main.ts']);
    try {
      const row = await regionsTable(run.tablePort).getEntity<{ value: string }>('test', 'kept');
      expect(row.value).toBe('survives a restart');
      expect(await readFile(join(dataDir, 'token-secret'), 'utf8')).toBe(secret);
    } finally {
      run.child.kill('SIGTERM');
      expect(await exited(run.child)).toBe(0);
    }
  });

  it('leaves no Azurite behind even when killed with SIGKILL', async () => {
    const run = await start(process.execPath, ['--import', 'tsx', 'functions/local/main.ts']);
    expect(alive(run.azuritePid)).toBe(true);
    run.child.kill('SIGKILL');
    await exited(run.child);
    await waitFor(() => !alive(run.azuritePid), 15_000, 'the orphaned Azurite to shut itself down');
  });

  it('refuses a bad setting with a clear message and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
      env: { ...env(), SM_MINUTE_SECONDS: 'soon' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    expect(await exited(child)).toBe(1);
    expect(output).toMatch(/SM_MINUTE_SECONDS: expected a number/);
  });
});
