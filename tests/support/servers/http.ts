import { createServer as createHttpServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { KeyAndCertificate } from './certificates.js';
import { closeServer, Connections, listen, LOOPBACK, type TestServer } from './server.js';

// An HTTP or HTTPS server on loopback for probe tests. By default it serves `testRoutes`,
// a set of behaviours addressed by path; pass your own handler for anything else.
//
//   /                         200 "ok: serverless monitor test server"
//   /status/<code>            that status
//   /delay/<ms>               200 after <ms> milliseconds
//   /hang                     accepts the request and never answers
//   /redirect?to=<url>[&status=<3xx>]   a redirect (302 by default)
//   /loop                     redirects to itself, forever
//   /close                    closes the connection before answering
//   /truncated                promises 1000 bytes, sends 10 and closes
//   /large?kib=<n>[&tail=<text>]        <n> KiB of filler, then <text>
//   /text?body=<text>         200 with that body

export interface HttpTestServer extends TestServer {
  /** Base URL, e.g. http://127.0.0.1:38211 */
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  /** TLS handshakes that resumed an earlier session (a probe must never cause one). */
  readonly resumedSessions: () => number;
  /** Request paths in the order they arrived. */
  readonly requests: string[];
}

export interface HttpServerOptions {
  /** Serve HTTPS with this certificate. */
  readonly tls?: KeyAndCertificate;
  readonly handler?: RequestListener;
}

/** Timers of delayed answers, cleared on close so nothing outlives the server. */
type Timers = Set<NodeJS.Timeout>;

function routes(timers: Timers): RequestListener {
  return (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://test');
    const [, first, second] = url.pathname.split('/');
    const text = (status: number, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', server: 'test-server/1.0', ...headers });
      response.end(body);
    };
    switch (first) {
      case '':
        return text(200, 'ok: serverless monitor test server');
      case 'status':
        return text(Number(second), `status ${second}`);
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          text(200, 'delayed');
        }, Number(second));
        timers.add(timer);
        return;
      }
      case 'hang':
        return;
      case 'redirect':
        return text(Number(url.searchParams.get('status') ?? 302), 'moved', { location: url.searchParams.get('to') ?? '/' });
      case 'loop':
        return text(302, 'again', { location: '/loop' });
      case 'close':
        request.socket.destroy();
        return;
      case 'truncated':
        response.writeHead(200, { 'content-length': '1000' });
        response.write('0123456789', () => request.socket.destroy());
        return;
      case 'large': {
        const filler = Buffer.alloc(Number(url.searchParams.get('kib') ?? 1) * 1024, 'a');
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(Buffer.concat([filler, Buffer.from(url.searchParams.get('tail') ?? '')]));
        return;
      }
      case 'text':
        return text(200, url.searchParams.get('body') ?? '');
      default:
        return text(404, 'not found');
    }
  };
}

export async function startHttpServer(options: HttpServerOptions = {}): Promise<HttpTestServer> {
  const timers: Timers = new Set();
  const connections = new Connections();
  const requests: string[] = [];
  let resumed = 0;
  const handler = options.handler ?? routes(timers);
  const listener: RequestListener = (request, response) => {
    requests.push(request.url ?? '');
    handler(request, response);
  };
  const server: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
  server.on('connection', (socket: Socket) => connections.add(socket));
  server.on('secureConnection', (socket: TLSSocket) => {
    if (socket.isSessionReused()) resumed++;
  });
  // Failed handshakes (a probe rejecting the certificate) are expected here.
  server.on('tlsClientError', () => {});
  const port = await listen(server);
  return {
    host: LOOPBACK,
    port,
    url: `${options.tls ? 'https' : 'http'}://${LOOPBACK}:${port}`,
    connections: () => connections.accepted,
    resumedSessions: () => resumed,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await closeServer(server, connections);
    },
  };
}
