import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeOutcomeSchema } from '../../../functions/probes/spec.js';
import { startHttpServer, type HttpTestServer } from '../../support/servers/http.js';
import { refusingPort } from '../../support/servers/unreachable.js';
import type { TestServer } from '../../support/servers/server.js';

// The probe command as a person runs it: a child process through tsx, exit codes 0/2/1.

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = 'functions/probes/cli.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}, command: [string, string[]] = [process.execPath, ['--import', 'tsx', cli]]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command[0], [...command[1], ...args], { cwd: root, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let web: HttpTestServer;
let refusing: TestServer;

beforeAll(async () => {
  [web, refusing] = await Promise.all([startHttpServer(), refusingPort()]);
});

afterAll(async () => {
  await Promise.all([web?.close(), refusing?.close()]);
});

describe('npm run probe', () => {
  it('prints a table and exits 0 when the probe passes', async () => {
    const result = await run([`${web.url}/`]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`${web.url}/ (http, timeout 10 s)`);
    expect(result.stdout).toMatch(/result\s+ok/);
    expect(result.stdout).toMatch(/first byte\s+\d+\.\d{3} ms/);
  });

  it('prints the result JSON of the API with --json', async () => {
    const result = await run([`${web.url}/`, '--json', '--expect', '{"keyword":"test server"}']);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ region: 'local', type: 'http', ok: true, status: 200, remoteAddress: '127.0.0.1' });
    expect(new Date(json.at as string).toISOString()).toBe(json.at);
    expect(probeOutcomeSchema.safeParse(json).success).toBe(true);
    expect(Object.keys(json.phases as object)).toEqual(['dns', 'connect', 'tls', 'firstByte', 'total']);
  });

  it('exits 2 when the probe fails', async () => {
    const refused = await run([`127.0.0.1:${refusing.port}`, '--json']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stdout)).toMatchObject({ type: 'tcp', ok: false, error: { class: 'connect', code: 'ECONNREFUSED' } });
    const status = await run([`${web.url}/status/500`]);
    expect(status.code).toBe(2);
    expect(status.stdout).toContain('FAILED — status: HTTP 500');
  });

  it('infers ping for a bare host and applies SM_ALLOW_PRIVATE_TARGETS=false', async () => {
    const result = await run(['localhost', '--json'], { SM_ALLOW_PRIVATE_TARGETS: 'false' });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({ type: 'ping', ok: false, error: { class: 'blocked' } });
  });

  it('exits 1 with the usage on bad usage', async () => {
    const mistakes = [
      [],
      ['a', 'b'],
      ['--type', 'gopher', 'example.com'],
      ['example.com', '--timeout', '0'],
      ['--type', 'tcp', 'example.com'],
      ['example.com', '--expect', '{'],
      ['x.com:1', '--expect', '{"nope":1}'],
      ['ssh://example.com'],
      ['--bogus'],
    ];
    const results = await Promise.all([...mistakes.map((args) => run(args)), run(['localhost'], { SM_ALLOW_PRIVATE_TARGETS: 'maybe' })]);
    for (const [index, result] of results.entries()) {
      const what = (mistakes[index] ?? ['SM_ALLOW_PRIVATE_TARGETS=maybe']).join(' ');
      expect(result.code, what).toBe(1);
      expect(result.stderr, what).toContain('Usage: npm run probe');
    }
  });

  it('runs through the npm script', async () => {
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const result = await run(['--silent', 'run', 'probe', '--', `${web.url}/`, '--json'], {}, [npm, []]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: true, status: 200 });
  });
});
