import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect, createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
import { errorCode, ProbeFailure } from './errors.js';
import type { ProbeRun } from './run.js';

// The TLS handshake of a probe and the verdict on the certificate. The handshake itself
// never rejects a certificate (rejectUnauthorized: false) so that an expired or mismatched
// certificate can still be read and its expiry reported; the verdict is taken right after.

export const DEFAULT_CERTIFICATE_WARNING_DAYS = 14;
const DAY_MS = 86_400_000;

// One context per trust store, shared by every probe: building one costs more than a
// handshake. Sharing does not resume sessions: Node caches no client sessions itself, and
// a probe never passes `session`.
const contexts = new Map<string, SecureContext>();

function secureContextFor(extraCa: readonly string[] | undefined): SecureContext {
  const key = extraCa?.join('\n') ?? '';
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(extraCa && extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {});
    contexts.set(key, context);
  }
  return context;
}

/** Runs the TLS handshake over a connected socket and checks the certificate for `host`. */
export async function startTls(run: ProbeRun, socket: Socket, target: string, warningDays = DEFAULT_CERTIFICATE_WARNING_DAYS): Promise<TLSSocket> {
  // Certificates name hosts without the root's trailing dot.
  const host = target.replace(/\.$/, '');
  run.stage = 'tls';
  run.activity = 'in the TLS handshake';
  const start = performance.now();
  const secure = run.own(
    connect({
      socket,
      // SNI carries names only; for an address the certificate must list the address.
      ...(isIP(host) ? {} : { servername: host }),
      secureContext: secureContextFor(run.options.ca),
      rejectUnauthorized: false,
    }),
  );
  await run.wait<void>((resolve, reject) => {
    const onClose = (): void => reject(new ProbeFailure('tls', 'the server closed the connection during the TLS handshake'));
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
    secure.once('close', onClose);
    return () => {
      secure.off('secureConnect', resolve);
      secure.off('error', reject);
      secure.off('close', onClose);
    };
  });
  run.phases.tls = run.since(start);
  checkCertificate(run, secure, host, warningDays);
  return secure;
}

/** Node types authorizationError as an Error, but sets the OpenSSL or Node error code string. */
function authorizationCode(error: unknown): string | undefined {
  return typeof error === 'string' ? error : errorCode(error);
}

const CERTIFICATE_PROBLEMS: Readonly<Record<string, string>> = {
  CERT_HAS_EXPIRED: 'the certificate expired',
  CERT_NOT_YET_VALID: 'the certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'the chain ends in an untrusted self-signed certificate',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer is not a trusted authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the chain cannot be verified (missing intermediate certificate?)',
  CERT_REVOKED: 'the certificate was revoked',
};

function describeCertificateProblem(code: string | undefined, host: string, expiresAt: Date): string {
  if (code === 'CERT_HAS_EXPIRED') return `the certificate expired on ${day(expiresAt)}`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `the certificate is not valid for ${host}`;
  return (code && CERTIFICATE_PROBLEMS[code]) ?? `untrusted certificate (${code ?? 'unknown reason'})`;
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function checkCertificate(run: ProbeRun, secure: TLSSocket, host: string, warningDays: number): void {
  // The X509Certificate view, not getPeerCertificate(): that one converts the whole
  // certificate to a JS object, a cost every HTTPS probe would pay twice (Node has just
  // done it once to check the host name).
  const certificate = secure.getPeerX509Certificate();
  if (!certificate) throw new ProbeFailure('tls', 'the server sent no certificate');
  const expiresAt = new Date(certificate.validTo);
  run.findings.certificateExpiresAt = expiresAt.toISOString();

  // Node checks the chain and then the host name (checkServerIdentity with the SNI name,
  // or the address), and leaves the first problem's code here.
  if (!secure.authorized) {
    const code = authorizationCode(secure.authorizationError);
    throw new ProbeFailure('tls', `invalid certificate: ${describeCertificateProblem(code, host, expiresAt)}`, code);
  }
  // An address target sends no SNI name; Node then checks the address it connected to,
  // which is this one. Checked again here so that never rests on a Node internal.
  if (isIP(host) && certificate.checkIP(host) === undefined) {
    throw new ProbeFailure('tls', `invalid certificate: ${describeCertificateProblem('ERR_TLS_CERT_ALTNAME_INVALID', host, expiresAt)}`, 'ERR_TLS_CERT_ALTNAME_INVALID');
  }

  const daysLeft = Math.floor((expiresAt.getTime() - Date.now()) / DAY_MS);
  if (daysLeft < warningDays) {
    run.findings.warning = `the certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${day(expiresAt)})`;
  }
}
