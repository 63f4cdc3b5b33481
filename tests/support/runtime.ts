import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../functions/local/runtime.js';

// A local runtime for one test file: its own in-memory Azurite, a free port, a temp data
// folder. Nothing is shared between files, so they run in parallel and never touch a
// running `npm start`.

export interface TestRuntime {
  readonly runtime: LocalRuntime;
  readonly url: string;
  readonly dataDir: string;
  readonly logs: string[];
  /** fetch() below /api with JSON in and out. */
  api(path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string }): Promise<ApiResponse>;
  stop(): Promise<void>;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test convenience: assertions read arbitrary JSON
  readonly json: any;
}

export async function startTestRuntime(
  options: { env?: Record<string, string>; catalog?: LocalRuntimeOptions['catalog'] } = {},
): Promise<TestRuntime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sm-test-'));
  const logs: string[] = [];
  const runtime = await startLocalRuntime({
    env: { SM_DATA_DIR: dataDir, SM_ALLOW_PRIVATE_TARGETS: 'true', ...options.env },
    ...(options.catalog ? { catalog: options.catalog } : {}),
    inMemoryStorage: true,
    port: 0,
    log: (line) => logs.push(line),
  });
  return {
    runtime,
    url: runtime.url,
    dataDir,
    logs,
    api: (path, init = {}) => callApi(runtime.url, path, init),
    async stop() {
      await runtime.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function callApi(
  baseUrl: string,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined = init.rawBody;
  if (init.body !== undefined) {
    body = JSON.stringify(init.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}/api/${path.replace(/^\/+/, '')}`, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
