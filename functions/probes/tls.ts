import { isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { checkServerIdentity, connect, createSecureContext, rootCertificates, type SecureContext, type TLSSocket } from 'node:tls';
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
export async function startTls(run: ProbeRun, socket: Socket, host: string, warningDays = DEFAULT_CERTIFICATE_WARNING_DAYS): Promise<TLSSocket> {
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

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function checkCertificate(run: ProbeRun, secure: TLSSocket, host: string, warningDays: number): void {
  const certificate = secure.getPeerCertificate();
  if (!certificate || !certificate.valid_to) throw new ProbeFailure('tls', 'the server sent no certificate');
  const expiresAt = new Date(certificate.valid_to);
  run.findings.certificateExpiresAt = expiresAt.toISOString();

  if (!secure.authorized) {
    const code = errorCode(secure.authorizationError);
    const reason = secure.authorizationError?.message ?? 'untrusted certificate';
    const detail = code === 'CERT_HAS_EXPIRED' ? ` on ${day(expiresAt)}` : '';
    throw new ProbeFailure('tls', `invalid certificate: ${reason}${detail}`, code);
  }
  const mismatch = checkServerIdentity(host, certificate);
  if (mismatch) throw new ProbeFailure('tls', `invalid certificate: ${mismatch.message}`, errorCode(mismatch));

  const daysLeft = Math.floor((expiresAt.getTime() - Date.now()) / DAY_MS);
  if (daysLeft < warningDays) {
    run.findings.warning = `the certificate expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${day(expiresAt)})`;
  }
}
