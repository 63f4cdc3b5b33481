import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import azureFunctions from '@azure/functions';
import { matchRoute, parseRouteTemplate, type RouteSegment } from '../api/route-template.js';
import type { ErrorBody, FunctionContext, HttpFunction } from '../runtime.js';

// Serves HTTP functions at /api/<route> the way the Functions host does: route templates
// with parameters, the same HttpRequest/HttpResponse classes, JSON errors for what the host
// itself would reject (unknown route, wrong method, oversized body).

// @azure/functions is CommonJS and Node cannot see these two as named exports.
const { HttpRequest, HttpResponse } = azureFunctions;

const MAX_REQUEST_BYTES = 1024 * 1024;

interface Route {
  readonly fn: HttpFunction;
  readonly segments: readonly RouteSegment[];
}

export interface HttpServerOptions {
  readonly functions: readonly HttpFunction[];
  readonly host: string;
  readonly port: number;
  readonly context: (fn: HttpFunction) => FunctionContext;
}

export interface HttpServerHandle {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServerHandle> {
  const routes = options.functions
    .map((fn) => ({ fn, segments: parseRouteTemplate(fn.route) }))
    .sort((a, b) => compareSpecificity(a.segments, b.segments));

  const server = createServer((req, res) => {
    serve(routes, options, req, res).catch((err: unknown) => {
      console.error('local http: failed to answer', err);
      if (!res.headersSent) writeError(res, 500, 'internal', 'internal error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      done();
    });
  });
}

/** Literal segments win over parameters, parameters over optional ones, catch-alls last. */
function compareSpecificity(a: readonly RouteSegment[], b: readonly RouteSegment[]): number {
  const rank = (s: RouteSegment | undefined) => (s === undefined ? 4 : s.literal !== undefined ? 0 : s.catchAll ? 3 : s.optional ? 2 : 1);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = rank(a[i]) - rank(b[i]);
    if (d !== 0) return d;
  }
  return 0;
}

async function serve(routes: readonly Route[], options: HttpServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${options.host}`}`);
  const method = (req.method ?? 'GET').toUpperCase();
  const path = url.pathname;
  if (!/^\/api(\/|$)/i.test(path)) return writeError(res, 404, 'not_found', `no route for ${path}`);
  const parts = path.slice(4).split('/').filter(Boolean);

  let allowed: string[] = [];
  for (const route of routes) {
    const params = matchRoute(route.segments, parts);
    if (!params) continue;
    if (!route.fn.methods.includes(method as never)) {
      allowed = [...allowed, ...route.fn.methods];
      continue;
    }
    const body = await readBody(req);
    if (body === 'too-large') return writeError(res, 413, 'payload_too_large', `request bodies are limited to ${MAX_REQUEST_BYTES} bytes`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request = new HttpRequest({
      method,
      url: url.toString(),
      headers,
      params,
      ...(body.length > 0 ? { body: { bytes: body } } : {}),
    });
    const init = await route.fn.handler(request, options.context(route.fn));
    const response = new HttpResponse(init);
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name] = value));
    const bytes = Buffer.from(await response.arrayBuffer());
    res.writeHead(response.status, out);
    res.end(method === 'HEAD' ? undefined : bytes);
    return;
  }
  if (allowed.length > 0) {
    res.setHeader('allow', [...new Set(allowed)].join(', '));
    return writeError(res, 405, 'method_not_allowed', `${method} is not allowed on ${path}`);
  }
  writeError(res, 404, 'not_found', `no route for ${path}`);
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => done(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', fail);
  });
}

function writeError(res: ServerResponse, status: number, code: string, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
