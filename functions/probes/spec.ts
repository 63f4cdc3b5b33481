import { z } from 'zod';

// What a probe is asked and what it answers. Shared by the probe engine, monitor validation
// (so a monitor is accepted only if it can be probed) and the results API.

export const MONITOR_TYPES = ['http', 'https', 'tcp', 'ping', 'dns', 'ftp', 'smtp', 'pop3', 'imap', 'telnet', 'ssh'] as const;
export type MonitorType = (typeof MONITOR_TYPES)[number];

export const ERROR_CLASSES = ['dns', 'connect', 'tls', 'timeout', 'protocol', 'status', 'content', 'blocked'] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** Port used when a host:port target gives none. */
export const DEFAULT_PORTS: Readonly<Record<Exclude<MonitorType, 'http' | 'https' | 'dns' | 'tcp'>, number>> = {
  ping: 443,
  ftp: 21,
  smtp: 25,
  pop3: 110,
  imap: 143,
  telnet: 23,
  ssh: 22,
};

const text = (max: number) => z.string().min(1).max(max);

const bannerExpect = z.strictObject({
  /** The greeting must contain this text (case-sensitive). */
  banner: text(200).optional(),
});

/** TLS use for mail protocols: `implicit` (SMTPS/IMAPS/POP3S), `starttls` (upgrade required), `auto` (upgrade when offered), `off`. */
const mailTls = z.enum(['implicit', 'starttls', 'auto', 'off']);

export const EXPECT_SCHEMAS = {
  http: z.strictObject({
    /** Accepted status codes; default: 100–399 (RFC 9110 classes 1xx–3xx). */
    status: z.array(z.number().int().min(100).max(599)).min(1).max(50).optional(),
    /** The body must contain this text. */
    keyword: text(500).optional(),
    /** The body must not contain this text. */
    absent: text(500).optional(),
    /** Redirects followed, each re-checked by the address policy; 0 = report the 3xx itself. Default 5. */
    maxRedirects: z.number().int().min(0).max(10).optional(),
    /** Warn when the certificate expires within this many days. Default 14. */
    certificateWarningDays: z.number().int().min(0).max(365).optional(),
  }),
  tcp: z.strictObject({
    /** Sent after connecting (custom protocols); \r\n escapes are not interpreted. */
    send: z.string().min(1).max(1000).optional(),
    /** The first answer must contain this text. */
    receive: text(500).optional(),
  }),
  ping: z.strictObject({}),
  dns: z.strictObject({
    recordType: z.enum(['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SOA', 'SRV', 'CAA', 'PTR']).optional(),
    /** Resolver to ask, `ip` or `ip:port` (`[v6]:port`); default: the system resolver. */
    server: text(60).optional(),
    /** One of the answers must contain this text (case-insensitive). */
    value: text(500).optional(),
  }),
  ftp: bannerExpect,
  smtp: bannerExpect.extend({ tls: mailTls.optional() }),
  pop3: bannerExpect.extend({ tls: mailTls.optional() }),
  imap: bannerExpect.extend({ tls: mailTls.optional() }),
  telnet: bannerExpect,
  ssh: bannerExpect,
} as const;
EXPECT_SCHEMAS satisfies Record<Exclude<MonitorType, 'https'>, z.ZodType>;

export type ExpectFor<T extends MonitorType> = z.infer<(typeof EXPECT_SCHEMAS)[T extends 'https' ? 'http' : T]>;
export type Expect = { [T in MonitorType]: ExpectFor<T> }[MonitorType];

export function expectSchema(type: MonitorType): z.ZodType<Expect> {
  return EXPECT_SCHEMAS[type === 'https' ? 'http' : type] as z.ZodType<Expect>;
}

export interface ProbeRequest {
  readonly type: MonitorType;
  readonly target: string;
  /** Whole probe budget, 1 000–30 000 ms. */
  readonly timeoutMs: number;
  readonly expect?: Expect;
}

export const phasesSchema = z.object({
  dns: z.number().nullable().describe('Name resolution, ms; null when the target is an address'),
  connect: z.number().nullable().describe('TCP connect, ms'),
  tls: z.number().nullable().describe('TLS handshake, ms; null without TLS'),
  firstByte: z.number().nullable().describe('From the request (or connect, for banners) to the first byte of the answer, ms'),
  total: z.number().describe('The whole probe, ms'),
});
export type Phases = z.infer<typeof phasesSchema>;

export const probeErrorSchema = z.object({
  class: z.enum(ERROR_CLASSES),
  message: z.string(),
  /** System error code when there is one (ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EAI_AGAIN, …). */
  code: z.string().optional(),
});
export type ProbeError = z.infer<typeof probeErrorSchema>;

/** One probe's answer, before the cycle stamps it with time and region. */
export const probeOutcomeSchema = z.object({
  ok: z.boolean(),
  error: probeErrorSchema.optional(),
  phases: phasesSchema,
  /** HTTP status, or the numeric reply code of a banner protocol (220, …). */
  status: z.number().int().optional(),
  remoteAddress: z.string().optional(),
  /** Something to know that is not a failure: a certificate about to expire. */
  warning: z.string().optional(),
  /** TLS certificate expiry (ISO-8601) when TLS was used. */
  certificateExpiresAt: z.string().optional(),
  /** Server software or greeting reported by the target (SSH identification, banners, Server header). */
  server: z.string().optional(),
  /** DNS answers for dns probes. */
  answers: z.array(z.string()).optional(),
});
export type ProbeOutcome = z.infer<typeof probeOutcomeSchema>;

export interface ProbeOptions {
  /** SM_ALLOW_PRIVATE_TARGETS: loopback, private and other internal addresses may be probed. */
  readonly allowPrivateTargets: boolean;
  /**
   * Local fault injection (/api/dev/regions/<name>/isolated): the region has no network, so
   * every probe fails as a connection attempt would (class connect, code ENETUNREACH).
   */
  readonly isolated?: boolean;
  /**
   * Root certificates (PEM) trusted besides Node's bundled ones. Unset in production; tests
   * and benchmarks trust the CA they generate with it.
   */
  readonly ca?: readonly string[];
  /**
   * Resolvers for target names (`ip` or `ip:port`) instead of the system's; tests point it
   * at a loopback DNS server. A dns monitor's own `expect.server` still wins.
   */
  readonly dnsServers?: readonly string[];
}
