import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appsToCopy, parseApps, publishPackage, repositoryHost } from '../../../infra/hooks/regions.js';
import { PACKAGE_DIR, readMain, stagePackage, type Runner } from '../../../infra/hooks/stage.js';
import { crc32, zipDirectory } from '../../../infra/hooks/zip.js';

// The azd hooks with real files and a real HTTP server standing in for the Flex deployment
// endpoint and ARM; only azd itself (the token) is out of reach here.

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sm-hooks-'));
  temps.push(dir);
  return dir;
}
function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reads a zip through its central directory, as unzip does, checking every CRC. */
function unzip(zip: Buffer): Map<string, { data: Buffer; mode: number }> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let p = zip.readUInt32LE(end + 16);
  const files = new Map<string, { data: Buffer; mode: number }>();
  for (let n = 0; n < count; n++) {
    expect(zip.readUInt32LE(p)).toBe(0x02014b50);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const size = zip.readUInt32LE(p + 20);
    const nameLength = zip.readUInt16LE(p + 28);
    const mode = zip.readUInt32LE(p + 38) >>> 16;
    const local = zip.readUInt32LE(p + 42);
    const name = zip.subarray(p + 46, p + 46 + nameLength).toString('utf8');
    expect(zip.readUInt32LE(local)).toBe(0x04034b50);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const body = zip.subarray(start, start + size);
    const data = method === 8 ? inflateRawSync(body) : Buffer.from(body);
    expect(crc32(data), name).toBe(crc);
    files.set(name, { data, mode });
    p += 46 + nameLength;
  }
  return files;
}

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
  });

  it('packs a folder that reads back byte for byte, with forward-slash paths and file modes', () => {
    const root = tempDir();
    const binary = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    write(root, 'host.json', '{ "version": "2.0" }\n'.repeat(50));
    write(root, 'dist/functions/azure.js', 'export {};\n');
    write(root, 'node_modules/@azure/x/empty.txt', '');
    write(root, 'node_modules/blob.bin', binary);
    write(root, 'node_modules/ünïcode.txt', 'ü');
    const files = unzip(zipDirectory(root));
    expect([...files.keys()]).toEqual([
      'dist/functions/azure.js',
      'host.json',
      'node_modules/@azure/x/empty.txt',
      'node_modules/blob.bin',
      'node_modules/ünïcode.txt',
    ]);
    expect(files.get('node_modules/blob.bin')!.data.equals(binary)).toBe(true);
    expect(files.get('host.json')!.data.toString()).toBe('{ "version": "2.0" }\n'.repeat(50));
    expect(files.get('node_modules/@azure/x/empty.txt')!.data.length).toBe(0);
    for (const { mode } of files.values()) expect(mode).toBe(0o100644);
  });

  it('gives the same bytes for the same folder, whenever it is zipped', () => {
    const root = tempDir();
    write(root, 'a.txt', 'a');
    write(root, 'b/c.txt', 'c');
    expect(zipDirectory(root).equals(zipDirectory(root))).toBe(true);
  });
});

describe('stagePackage', () => {
  function project(main = 'dist/functions/azure.js'): string {
    const root = tempDir();
    write(root, 'package.json', JSON.stringify({ name: 'x', type: 'module', main }));
    write(root, 'package-lock.json', '{}');
    write(root, 'host.json', '{}');
    write(root, 'functions/azure.ts', 'source');
    write(root, 'tests/a.test.ts', 'test');
    write(root, 'node_modules/vitest/index.js', 'dev dependency');
    write(root, '.npmrc', '//registry.example/:_authToken=secret');
    return root;
  }

  it('builds, copies the compiled app and runtime files, and installs production dependencies there', () => {
    const root = project();
    const calls: string[] = [];
    const run: Runner = (command, args, cwd) => {
      calls.push(`${cwd === root ? '<root>' : cwd.slice(root.length + 1)}: ${command} ${args.join(' ')}`);
      if (args[0] === 'run') write(root, 'dist/functions/azure.js', 'compiled');
      if (args[0] === 'ci') {
        expect(existsSync(join(cwd, '.npmrc'))).toBe(true); // the registry settings apply
        write(cwd, 'node_modules/zod/index.js', 'production dependency');
      }
    };
    write(root, `${PACKAGE_DIR}/stale.txt`, 'left from an earlier run');
    const out = stagePackage(root, run);
    expect(out).toBe(join(root, PACKAGE_DIR));
    expect(calls).toEqual(['<root>: npm run build', `${PACKAGE_DIR}: npm ci --omit=dev --ignore-scripts --no-audit --no-fund`]);
    expect([...unzip(zipDirectory(out)).keys()]).toEqual([
      'dist/functions/azure.js',
      'host.json',
      'node_modules/zod/index.js',
      'package-lock.json',
      'package.json',
    ]);
    expect(readFileSync(join(out, 'dist/functions/azure.js'), 'utf8')).toBe('compiled');
  });

  it('stops when the build does not produce the entry point', () => {
    const root = project();
    expect(() => stagePackage(root, () => undefined)).toThrow(/did not produce dist\/functions\/azure\.js/);
  });

  it('insists that package.json "main" is inside the staged dist/functions', () => {
    expect(() => readMain(project('src/index.js'))).toThrow(/dist\/functions/);
    expect(readMain(project())).toBe('dist/functions/azure.js');
  });
});

describe('appsToCopy', () => {
  const apps = JSON.stringify([
    { region: 'eastus2', name: 'func-eastus2-x', url: 'https://func-eastus2-x.azurewebsites.net' },
    { region: 'northeurope', name: 'func-northeurope-x', url: 'https://func-northeurope-x.azurewebsites.net' },
    { region: 'southeastasia', name: 'func-southeastasia-x', url: 'https://func-southeastasia-x.azurewebsites.net' },
  ]);

  it('is every regional app except the primary azd deployed to', () => {
    expect(appsToCopy({ SM_FUNCTION_APPS: apps, SERVICE_API_NAME: 'func-eastus2-x' }).map((a) => a.region)).toEqual([
      'northeurope',
      'southeastasia',
    ]);
  });

  it('is nothing for a single region', () => {
    const one = JSON.stringify([{ region: 'eastus2', name: 'a', url: 'https://a' }]);
    expect(appsToCopy({ SM_FUNCTION_APPS: one, SERVICE_API_NAME: 'a' })).toEqual([]);
  });

  it('refuses an environment that was never provisioned or mixes two provisions', () => {
    expect(() => appsToCopy({ SERVICE_API_NAME: 'a' })).toThrow(/SM_FUNCTION_APPS is not set/);
    expect(() => appsToCopy({ SM_FUNCTION_APPS: apps })).toThrow(/SERVICE_API_NAME is not set/);
    expect(() => appsToCopy({ SM_FUNCTION_APPS: apps, SERVICE_API_NAME: 'func-westus-y' })).toThrow(/not among/);
  });

  it('rejects a malformed list', () => {
    expect(() => parseApps('not json')).toThrow(/not JSON/);
    expect(() => parseApps('{}')).toThrow(/not a list/);
    expect(() => parseApps('[{"region":"eastus2"}]')).toThrow(/lacks region, name or url/);
  });
});

describe('publishing to a regional app', () => {
  type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;
  let handler: Handler = (_q, _b, response) => response.writeHead(500).end();
  let server: Server;
  let baseUrl = '';

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => handler(request, Buffer.concat(chunks), response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (response: ServerResponse, status: number, body: unknown) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  it('uploads the zip with the token and waits through the deployment states to success', async () => {
    const zip = Buffer.from('PK fake zip');
    const seen: string[] = [];
    let polls = 0;
    handler = (request, body, response) => {
      seen.push(`${request.method} ${request.url} ${request.headers.authorization}`);
      if (request.method === 'POST' && request.url === '/api/publish') {
        expect(request.headers['content-type']).toBe('application/zip');
        expect(body.equals(zip)).toBe(true);
        return json(response, 202, 'dep-1');
      }
      if (request.url === '/api/deployments/dep-1') {
        polls++;
        if (polls === 1) return response.writeHead(404).end(); // not recorded yet
        if (polls < 4) return json(response, 200, { status: polls === 2 ? 1 : 2, status_text: polls === 2 ? 'Building' : 'Deploying' });
        return json(response, 200, { status: 4, status_text: 'Succeeded' });
      }
      response.writeHead(404).end();
    };
    const log: string[] = [];
    await publishPackage({ baseUrl, token: 'T', zip, pollMs: 5, log: (m) => log.push(m) });
    expect(seen[0]).toBe('POST /api/publish Bearer T');
    expect(seen.slice(1).every((s) => s === 'GET /api/deployments/dep-1 Bearer T')).toBe(true);
    expect(polls).toBe(4);
    expect(log.join('\n')).toMatch(/Building[\s\S]*Deploying/);
  });

  it('reports a failed deployment with the service\'s words', async () => {
    handler = (request, _b, response) =>
      request.method === 'POST' ? json(response, 202, 'dep-2') : json(response, 200, { status: 3, status_text: 'Package is not a zip' });
    await expect(publishPackage({ baseUrl, token: 'T', zip: Buffer.from('x'), pollMs: 5 })).rejects.toThrow(
      /dep-2 failed: Package is not a zip/,
    );
  });

  it('reports a refused upload', async () => {
    handler = (_q, _b, response) => response.writeHead(403).end('Forbidden: no role');
    await expect(publishPackage({ baseUrl, token: 'T', zip: Buffer.from('x') })).rejects.toThrow(/HTTP 403: Forbidden: no role/);
  });

  it('treats the record vanishing after progress as done, as azd does', async () => {
    let polls = 0;
    handler = (request, _b, response) => {
      if (request.method === 'POST') return json(response, 202, 'dep-3');
      return ++polls === 1 ? json(response, 200, { status: 2 }) : response.writeHead(404).end();
    };
    await publishPackage({ baseUrl, token: 'T', zip: Buffer.from('x'), pollMs: 5 });
    expect(polls).toBe(2);
  });

  it('gives up when the deployment never finishes', async () => {
    handler = (request, _b, response) => (request.method === 'POST' ? json(response, 202, 'dep-4') : json(response, 200, { status: 1 }));
    await expect(publishPackage({ baseUrl, token: 'T', zip: Buffer.from('x'), pollMs: 5, timeoutMs: 50 })).rejects.toThrow(
      /did not finish/,
    );
  });

  it('finds the SCM host name in the app\'s ARM record', async () => {
    handler = (request, _b, response) => {
      expect(request.url).toBe('/subscriptions/sub-1/resourceGroups/rg-x/providers/Microsoft.Web/sites/func-a?api-version=2024-04-01');
      expect(request.headers.authorization).toBe('Bearer T');
      json(response, 200, {
        properties: {
          hostNameSslStates: [
            { name: 'func-a.azurewebsites.net', hostType: 'Standard' },
            { name: 'func-a.scm.azurewebsites.net', hostType: 'Repository' },
          ],
        },
      });
    };
    await expect(repositoryHost('T', 'sub-1', 'rg-x', 'func-a', baseUrl)).resolves.toBe('func-a.scm.azurewebsites.net');
    handler = (_q, _b, response) => json(response, 404, { error: { code: 'ResourceNotFound' } });
    await expect(repositoryHost('T', 'sub-1', 'rg-x', 'func-a', baseUrl)).rejects.toThrow(/HTTP 404/);
  });
});
