import { z } from 'zod';
import { plainTextSchema } from '../accounts/text.js';
import { expectSchema, MONITOR_TYPES, type Expect, type MonitorType } from '../probes/spec.js';
import { normalizeTarget } from './target.js';

// The monitor: what users send (create and patch), what is stored, what the API answers.
// The same zod schemas validate requests and describe them in the OpenAPI document.

export const INTERVALS = [1, 2, 5, 10, 20] as const;
export type IntervalMinutes = (typeof INTERVALS)[number];

export const MONITOR_STATES = ['unknown', 'up', 'down', 'suppressed'] as const;
export type MonitorState = (typeof MONITOR_STATES)[number];

export const DEFAULTS = {
  timeoutSeconds: 10,
  // A recheck runs the minute after a failure: two minutes lets it cancel a blip before anyone is woken.
  alertDelayMinutes: 2,
  repeatMinutes: 15,
  recoveryPasses: 1,
} as const;

export const channelIdSchema = z.string().regex(/^c[a-z0-9]{20}$/, 'not a channel id');

export const escalationStepSchema = z
  .strictObject({
    afterMinutes: z.number().int().min(0).max(1440).describe('Minutes after the alert delay ends'),
    channels: z.array(channelIdSchema).min(1).max(10).describe('Channel ids of the account this path belongs to'),
  })
  .meta({ id: 'EscalationStep' });

export const escalationSchema = z
  .array(escalationStepSchema)
  .min(1)
  .max(10)
  .describe('Who is alerted after how long; null: every verified channel at once');

export type EscalationStep = z.infer<typeof escalationStepSchema>;

const regionNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'not a region name');

const fields = {
  name: plainTextSchema(100, 'name'),
  type: z.enum(MONITOR_TYPES),
  target: z.string().min(1).max(2048).describe('URL for http/https, host:port for tcp and banner protocols, host for ping and dns'),
  intervalMinutes: z.literal(INTERVALS, { error: 'intervalMinutes must be 1, 2, 5, 10 or 20' }),
  timeoutSeconds: z.number().int().min(1).max(30),
  expect: z
    .record(z.string(), z.unknown())
    .describe(
      'Type-specific checks. http/https: status[], keyword, absent, maxRedirects, certificateWarningDays; ' +
        'tcp: send, receive; dns: recordType, server, value; ftp/telnet/ssh: banner; smtp/pop3/imap: banner, tls.',
    ),
  alertDelayMinutes: z.number().int().min(0).max(60),
  escalation: escalationSchema.nullable(),
  repeatMinutes: z.number().int().min(1).max(1440),
  recoveryPasses: z.number().int().min(1).max(10),
  public: z.boolean(),
  regions: z.array(regionNameSchema).min(1).max(20).nullable().describe('Regions that probe it; null: every region'),
  paused: z.boolean(),
};

/** Checks that need more than one field: target and expect depend on type. */
function checkTypeSpecific(value: { type: MonitorType; target: string; expect?: Record<string, unknown> | undefined }, ctx: z.RefinementCtx): void {
  const target = normalizeTarget(value.type, value.target);
  if (!target.ok) ctx.addIssue({ code: 'custom', path: ['target'], message: target.message });
  if (value.expect !== undefined) {
    const expect = expectSchema(value.type).safeParse(value.expect);
    if (!expect.success) {
      const issue = expect.error.issues[0]!;
      const message = issue.code === 'unrecognized_keys' ? `unknown field for ${value.type}: ${issue.keys.join(', ')}` : issue.message;
      ctx.addIssue({ code: 'custom', path: ['expect', ...issue.path.map(String)], message });
    }
  }
}

export const createMonitorSchema = z
  .strictObject({
    name: fields.name,
    type: fields.type,
    target: fields.target,
    intervalMinutes: fields.intervalMinutes,
    timeoutSeconds: fields.timeoutSeconds.optional(),
    expect: fields.expect.optional(),
    alertDelayMinutes: fields.alertDelayMinutes.optional(),
    escalation: fields.escalation.optional(),
    repeatMinutes: fields.repeatMinutes.optional(),
    recoveryPasses: fields.recoveryPasses.optional(),
    public: fields.public.optional(),
    regions: fields.regions.optional(),
    paused: fields.paused.optional(),
  })
  .superRefine(checkTypeSpecific)
  .meta({ id: 'MonitorCreate' });

export const patchMonitorSchema = z
  .strictObject({
    name: fields.name.optional(),
    type: fields.type.optional(),
    target: fields.target.optional(),
    intervalMinutes: fields.intervalMinutes.optional(),
    timeoutSeconds: fields.timeoutSeconds.optional(),
    expect: fields.expect.nullable().optional(),
    alertDelayMinutes: fields.alertDelayMinutes.optional(),
    escalation: fields.escalation.optional(),
    repeatMinutes: fields.repeatMinutes.optional(),
    recoveryPasses: fields.recoveryPasses.optional(),
    public: fields.public.optional(),
    regions: fields.regions.optional(),
    paused: fields.paused.optional(),
  })
  .meta({ id: 'MonitorPatch' });

export type CreateMonitorInput = z.infer<typeof createMonitorSchema>;
export type PatchMonitorInput = z.infer<typeof patchMonitorSchema>;

/** What the owner configures. */
export interface MonitorConfig {
  readonly name: string;
  readonly type: MonitorType;
  readonly target: string;
  readonly intervalMinutes: IntervalMinutes;
  readonly timeoutSeconds: number;
  readonly expect: Expect;
  readonly alertDelayMinutes: number;
  readonly escalation: readonly EscalationStep[] | null;
  readonly repeatMinutes: number;
  readonly recoveryPasses: number;
  readonly public: boolean;
  readonly regions: readonly string[] | null;
  readonly paused: boolean;
}

export interface Monitor extends MonitorConfig {
  readonly id: string;
  readonly ownerId: string;
  readonly state: MonitorState;
  readonly stateChangedAt?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly etag?: string;
}

/** What the probe cycle reads of every monitor each minute. */
export type ScheduledMonitor = Pick<
  Monitor,
  'id' | 'type' | 'target' | 'intervalMinutes' | 'timeoutSeconds' | 'expect' | 'regions' | 'paused' | 'state' | 'createdAt'
>;

/** A create request with defaults filled in and the target in normal form. */
export function configFromCreate(input: CreateMonitorInput): MonitorConfig {
  return normalizeConfig({
    name: input.name,
    type: input.type,
    target: input.target,
    intervalMinutes: input.intervalMinutes,
    timeoutSeconds: input.timeoutSeconds ?? DEFAULTS.timeoutSeconds,
    expect: (input.expect ?? {}) as Expect,
    alertDelayMinutes: input.alertDelayMinutes ?? DEFAULTS.alertDelayMinutes,
    escalation: input.escalation ?? null,
    repeatMinutes: input.repeatMinutes ?? DEFAULTS.repeatMinutes,
    recoveryPasses: input.recoveryPasses ?? DEFAULTS.recoveryPasses,
    public: input.public ?? false,
    regions: input.regions ?? null,
    paused: input.paused ?? false,
  });
}

/**
 * A patch applied to a stored config, validated as a whole: changing `type` alone must
 * still leave a target and expect that suit the new type. Returns the zod error otherwise.
 */
export function applyPatch(config: MonitorConfig, patch: PatchMonitorInput): { ok: true; config: MonitorConfig } | { ok: false; error: z.ZodError } {
  const typeChanged = patch.type !== undefined && patch.type !== config.type;
  const merged: Record<string, unknown> = {
    ...configOf(config),
    // Checks written for the old type rarely suit a new one: start from none unless given.
    expect: patch.expect === null || (typeChanged && patch.expect === undefined) ? {} : (patch.expect ?? config.expect),
  };
  for (const [key, value] of Object.entries(patch)) if (key !== 'expect' && value !== undefined) merged[key] = value;
  const parsed = createMonitorSchema.safeParse(merged);
  if (!parsed.success) return { ok: false, error: parsed.error };
  return { ok: true, config: configFromCreate(parsed.data) };
}

/** Just the configured fields of a monitor (without id, owner, state, times). */
export function configOf(m: MonitorConfig): MonitorConfig {
  return {
    name: m.name,
    type: m.type,
    target: m.target,
    intervalMinutes: m.intervalMinutes,
    timeoutSeconds: m.timeoutSeconds,
    expect: m.expect,
    alertDelayMinutes: m.alertDelayMinutes,
    escalation: m.escalation,
    repeatMinutes: m.repeatMinutes,
    recoveryPasses: m.recoveryPasses,
    public: m.public,
    regions: m.regions,
    paused: m.paused,
  };
}

function normalizeConfig(config: MonitorConfig): MonitorConfig {
  const target = normalizeTarget(config.type, config.target);
  return {
    ...config,
    target: target.ok ? target.value.target : config.target,
    regions: config.regions ? [...new Set(config.regions)] : null,
    escalation: config.escalation
      ? [...config.escalation].map((s) => ({ afterMinutes: s.afterMinutes, channels: [...new Set(s.channels)] })).sort((a, b) => a.afterMinutes - b.afterMinutes)
      : null,
  };
}

// ── responses ───────────────────────────────────────────────────────────────────────────

export const monitorSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.enum(MONITOR_TYPES),
    target: z.string(),
    intervalMinutes: z.number().int(),
    timeoutSeconds: z.number().int(),
    expect: z.record(z.string(), z.unknown()),
    alertDelayMinutes: z.number().int(),
    escalation: z.array(escalationStepSchema).nullable(),
    repeatMinutes: z.number().int(),
    recoveryPasses: z.number().int(),
    public: z.boolean(),
    regions: z.array(z.string()).nullable(),
    paused: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    state: z.enum(MONITOR_STATES),
    ownerId: z.string().describe('The account that owns the monitor'),
    access: z.enum(['owner', 'receiver', 'public']).describe("The caller's relation to the monitor"),
  })
  .meta({ id: 'Monitor' });

export type MonitorView = z.infer<typeof monitorSchema>;

export function monitorView(monitor: Monitor, access: MonitorView['access']): MonitorView {
  return {
    id: monitor.id,
    name: monitor.name,
    type: monitor.type,
    target: monitor.target,
    intervalMinutes: monitor.intervalMinutes,
    timeoutSeconds: monitor.timeoutSeconds,
    expect: monitor.expect as Record<string, unknown>,
    alertDelayMinutes: monitor.alertDelayMinutes,
    escalation: monitor.escalation ? monitor.escalation.map((s) => ({ afterMinutes: s.afterMinutes, channels: [...s.channels] })) : null,
    repeatMinutes: monitor.repeatMinutes,
    recoveryPasses: monitor.recoveryPasses,
    public: monitor.public,
    regions: monitor.regions ? [...monitor.regions] : null,
    paused: monitor.paused,
    createdAt: monitor.createdAt,
    updatedAt: monitor.updatedAt,
    state: monitor.state,
    ownerId: monitor.ownerId,
    access,
  };
}
