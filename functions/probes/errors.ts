import type { ErrorClass, ProbeError } from './spec.js';

// How a probe says "the target did not answer satisfactorily", and how the errors Node
// raises map onto the error classes of the API. The mapping depends on the stage the probe
// was in: a reset during the TLS handshake is a TLS problem, after it a protocol problem.

/** A probe's finding that the target failed, with the class and code the cycle reads. */
export class ProbeFailure extends Error {
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }

  toProbeError(): ProbeError {
    return this.code === undefined
      ? { class: this.errorClass, message: this.message }
      : { class: this.errorClass, message: this.message, code: this.code };
  }
}

/** Where in a probe an error happened: resolving, opening TCP, the TLS handshake, or talking the protocol. */
export type Stage = 'dns' | 'connect' | 'tls' | 'exchange';

const DNS_MESSAGES: Readonly<Record<string, string>> = {
  ENOTFOUND: 'no such domain name (NXDOMAIN)',
  ENODATA: 'the name has no records of that type',
  ESERVFAIL: 'the resolver failed to answer (SERVFAIL)',
  EREFUSED: 'the resolver refused the query',
  ETIMEOUT: 'the resolver did not answer',
  ECONNREFUSED: 'the resolver could not be reached (connection refused)',
  EAI_AGAIN: 'temporary failure in name resolution',
  EBADNAME: 'not a valid domain name',
  EFORMERR: 'the resolver rejected the query as malformed',
  ENOTIMP: 'the resolver does not implement this query',
};

const CONNECT_MESSAGES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ENETUNREACH: 'network unreachable',
  EHOSTUNREACH: 'host unreachable',
  ENETDOWN: 'network is down',
  EHOSTDOWN: 'host is down',
  EADDRNOTAVAIL: 'no local address to connect from',
  ECONNRESET: 'connection reset while connecting',
};

const EXCHANGE_MESSAGES: Readonly<Record<string, string>> = {
  ECONNRESET: 'connection reset by the server',
  EPIPE: 'the server closed the connection while we were sending',
  ECONNABORTED: 'connection aborted',
};

export function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Turns whatever was thrown while in `stage` into a failure of the right class. */
export function classifyError(error: unknown, stage: Stage): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  const code = errorCode(error);
  switch (stage) {
    case 'dns':
      return new ProbeFailure('dns', (code && DNS_MESSAGES[code]) ?? `name resolution failed: ${errorMessage(error)}`, code);
    case 'connect':
      // The kernel's own connect timeout: nothing answered the SYN.
      if (code === 'ETIMEDOUT') return new ProbeFailure('timeout', 'no answer to the connection attempt', 'ETIMEDOUT');
      return new ProbeFailure('connect', (code && CONNECT_MESSAGES[code]) ?? `could not connect: ${errorMessage(error)}`, code);
    case 'tls':
      if (code === 'ECONNRESET') return new ProbeFailure('tls', 'connection reset during the TLS handshake', code);
      return new ProbeFailure('tls', `TLS handshake failed: ${errorMessage(error)}`, code);
    case 'exchange':
      if (code?.startsWith('HPE_')) return new ProbeFailure('protocol', `invalid HTTP response: ${errorMessage(error)}`, code);
      if (code?.startsWith('ERR_SSL_') || code === 'EPROTO') return new ProbeFailure('tls', `TLS error: ${errorMessage(error)}`, code);
      return new ProbeFailure('protocol', (code && EXCHANGE_MESSAGES[code]) ?? errorMessage(error), code);
  }
}

/** Resolver codes that describe the name itself rather than the resolver we asked. */
const TARGET_DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'ENODATA', 'EBADNAME']);
const LOCAL_CONNECT_CODES: ReadonlySet<string> = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EADDRNOTAVAIL']);

/**
 * True when a failure says nothing about the target: our resolver failed, a connection was
 * never established in time, or our network could not route. The cycle counts only these
 * toward a region's error rate (DESIGN.md, Decide).
 */
export function isLocalFault(error: ProbeError): boolean {
  if (error.code === undefined) return false;
  switch (error.class) {
    case 'timeout':
      return error.code === 'ETIMEDOUT';
    case 'dns':
      return !TARGET_DNS_CODES.has(error.code);
    case 'connect':
      return LOCAL_CONNECT_CODES.has(error.code);
    default:
      return false;
  }
}
