import { generate } from 'selfsigned';

// Certificates made at test time: a test CA (give it to a probe as ProbeOptions.ca) and leaf
// certificates it signed for each TLS case. EC P-256 keys: quick to make and to use.

export interface KeyAndCertificate {
  readonly key: string;
  readonly cert: string;
}

export interface TestCertificates {
  /** The test CA's certificate (PEM): trust it with `{ ca: [certificates.ca] }`. */
  readonly ca: string;
  /** localhost, 127.0.0.1 and ::1; valid for a year. */
  readonly valid: KeyAndCertificate;
  /** localhost and 127.0.0.1; expired yesterday. */
  readonly expired: KeyAndCertificate;
  /** Valid, but only for wrong-host.example. */
  readonly wrongHost: KeyAndCertificate;
  /** localhost and 127.0.0.1; expires in five days (inside the default 14-day warning). */
  readonly expiringSoon: KeyAndCertificate;
  /** localhost, signed by itself rather than the test CA. */
  readonly selfSigned: KeyAndCertificate;
}

const DAY_MS = 86_400_000;
const LOCAL_NAMES = [
  { type: 2 as const, value: 'localhost' },
  { type: 7 as const, ip: '127.0.0.1' },
  { type: 7 as const, ip: '::1' },
];

async function leaf(
  ca: KeyAndCertificate | undefined,
  names: Array<{ type: 2 | 7; value?: string; ip?: string }>,
  notBeforeDate: Date,
  notAfterDate: Date,
): Promise<KeyAndCertificate> {
  const pems = await generate([{ name: 'commonName', value: names[0]?.value ?? 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    ...(ca ? { ca: { key: ca.key, cert: ca.cert } } : {}),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: names },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

async function make(): Promise<TestCertificates> {
  const now = Date.now();
  const caPems = await generate([{ name: 'commonName', value: 'Serverless Monitor Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY_MS),
    notAfterDate: new Date(now + 3650 * DAY_MS),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const ca = { key: caPems.private, cert: caPems.cert };
  const [valid, expired, wrongHost, expiringSoon, selfSigned] = await Promise.all([
    leaf(ca, LOCAL_NAMES, new Date(now - DAY_MS), new Date(now + 365 * DAY_MS)),
    leaf(ca, LOCAL_NAMES, new Date(now - 30 * DAY_MS), new Date(now - DAY_MS)),
    leaf(ca, [{ type: 2, value: 'wrong-host.example' }], new Date(now - DAY_MS), new Date(now + 365 * DAY_MS)),
    leaf(ca, LOCAL_NAMES, new Date(now - DAY_MS), new Date(now + 5 * DAY_MS + 3_600_000)),
    leaf(undefined, LOCAL_NAMES, new Date(now - DAY_MS), new Date(now + 365 * DAY_MS)),
  ]);
  return { ca: ca.cert, valid, expired, wrongHost, expiringSoon, selfSigned };
}

let made: Promise<TestCertificates> | undefined;

/** The test certificates, made once per process. */
export function testCertificates(): Promise<TestCertificates> {
  made ??= make();
  return made;
}
