import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

// Azurite from node_modules as a child process. Ports are chosen by the OS (port 0) and read
// back from Azurite's own "listening at" lines, so several instances never collide. The
// child watches its stdin: when this process goes away by any means, even SIGKILL, the pipe
// closes and Azurite shuts itself down, so no process is ever left behind.

const ACCOUNT = 'devstoreaccount1';
// Azurite's well-known development key (public, documented by Microsoft; not a secret).
const KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  readonly connectionString: string;
  readonly ports: { readonly blob: number; readonly queue: number; readonly table: number };
  readonly pid: number;
  stop(): Promise<void>;
}

export interface AzuriteOptions {
  /** Folder for Azurite's files; created if missing. */
  readonly location: string;
  readonly inMemory?: boolean;
  readonly startTimeoutMs?: number;
}

export function connectionStringFor(ports: { blob: number; queue: number; table: number }): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${ports.table}/${ACCOUNT}`,
  ].join(';');
}

export async function startAzurite(options: AzuriteOptions): Promise<AzuriteHandle> {
  const location = resolve(options.location);
  await mkdir(location, { recursive: true });
  const require = createRequire(import.meta.url);
  const cli = join(dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'azurite.js');
  const args = [
    '--blobPort', '0', '--queuePort', '0', '--tablePort', '0',
    // Azurite refuses a location together with in-memory persistence; it then runs in `location` as its cwd.
    ...(options.inMemory ? [] : ['--location', location]),
    '--silent', '--disableTelemetry', '--skipApiVersionCheck', '--loose',
    ...(options.inMemory ? ['--inMemoryPersistence'] : []),
  ];
  const guard = [
    "process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));",
    'process.stdin.resume();',
    `process.argv.splice(1, 0, ${JSON.stringify(cli)});`,
    `require(${JSON.stringify(cli)});`,
  ].join('\n');
  const child = spawn(process.execPath, ['-e', guard, '--', ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    cwd: location,
    // Its own process group: a terminal's Ctrl-C reaches the runtime, which then stops Azurite
    // in order (Azurite saves its data on the way out). Hit directly, Azurite raced that stop
    // and could exit before saving. The stdin guard still ends it if the runtime dies.
    detached: true,
    env: { ...process.env, AZURITE_ACCEPT_EULA: 'true' },
  });

  const ports = await readPorts(child, options.startTimeoutMs ?? 30_000);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));

  return {
    connectionString: connectionStringFor(ports),
    ports,
    pid: child.pid!,
    async stop() {
      if (exited) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

function readPorts(child: ChildProcess, timeoutMs: number): Promise<{ blob: number; queue: number; table: number }> {
  return new Promise((resolvePorts, reject) => {
    const found: Record<string, number> = {};
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const m of output.matchAll(/Azurite (Blob|Queue|Table) service is successfully listening at http:\/\/[^:]+:(\d+)/g)) {
        found[m[1]!.toLowerCase()] = Number(m[2]);
      }
      if (found['blob'] && found['queue'] && found['table']) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so Azurite never blocks on a full pipe
        resolvePorts({ blob: found['blob'], queue: found['queue'], table: found['table'] });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => fail(new Error(`Azurite exited with code ${code}:\n${output}`)));
  });
}
