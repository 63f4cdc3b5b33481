import type { DomainContext } from '../accounts/context.js';
import { iso } from '../accounts/context.js';
import { fromZodIssues, invalid, Rejection } from '../accounts/errors.js';
import { derivedId, newId } from '../accounts/ids.js';
import { AccountStore } from '../storage/accounts.js';
import { MonitorStore } from '../storage/monitors.js';
import { ownedMonitor, visibleMonitor } from './access.js';
import {
  applyPatch,
  configFromCreate,
  monitorView,
  type CreateMonitorInput,
  type EscalationStep,
  type Monitor,
  type MonitorConfig,
  type MonitorView,
  type PatchMonitorInput,
} from './model.js';
import { normalizeTarget } from './target.js';
import { refuseTarget } from './target-policy.js';

// Registering and changing monitors (DESIGN.md, data flow step 1). Input arrives validated
// by the zod schemas; here come the checks that need the world: the deployment's regions,
// the owner's channels, and the SSRF policy (which resolves the target's name).

/** Far above any one team's needs; keeps a runaway script from filling the probe cycle. */
export const MONITORS_PER_ACCOUNT = 1000;

export async function createMonitor(
  ctx: DomainContext,
  ownerId: string,
  input: CreateMonitorInput,
  idempotencyKey?: string,
): Promise<{ monitor: MonitorView; created: boolean }> {
  const config = configFromCreate(input);
  const store = new MonitorStore(ctx.storage);
  // With an Idempotency-Key, a repeated request finds the monitor the first one made.
  const id = idempotencyKey ? derivedId('m', ownerId, idempotencyKey) : newId('m');
  const earlier = idempotencyKey ? await store.get(id) : undefined;
  if (earlier?.ownerId === ownerId) return { monitor: monitorView(earlier, 'owner'), created: false };
  await checkConfig(ctx, ownerId, config, undefined);
  if ((await new AccountStore(ctx.storage).listPointers(ownerId, 'owns')).length >= MONITORS_PER_ACCOUNT) {
    throw new Rejection('conflict', 'too_many_monitors', `an account has at most ${MONITORS_PER_ACCOUNT} monitors; delete one first`);
  }
  const now = iso(ctx.now());
  const monitor: Monitor = { ...config, id, ownerId, state: 'unknown', createdAt: now, updatedAt: now };
  if (await store.create(monitor)) return { monitor: monitorView(monitor, 'owner'), created: true };
  // Two requests with one key raced; the other one made it.
  const existing = await store.get(monitor.id);
  if (!existing || existing.ownerId !== ownerId) throw new Rejection('conflict', 'busy', 'try again');
  return { monitor: monitorView(existing, 'owner'), created: false };
}

export async function getMonitor(ctx: DomainContext, accountId: string, monitorId: string): Promise<MonitorView> {
  const { monitor, access } = await visibleMonitor(ctx.storage, monitorId, accountId);
  return monitorView(monitor, access);
}

/** The account's own monitors and those whose alerts it accepted to receive, oldest first. */
export async function listMonitors(ctx: DomainContext, accountId: string): Promise<MonitorView[]> {
  const store = new MonitorStore(ctx.storage);
  const own = await store.listByOwner(accountId);
  const received: MonitorView[] = [];
  for (const monitorId of await new AccountStore(ctx.storage).listPointers(accountId, 'receives')) {
    const found = await store.getWithReceivers(monitorId);
    if (found?.receivers.some((r) => r.status === 'accepted' && r.accountId === accountId)) received.push(monitorView(found.monitor, 'receiver'));
  }
  return [...own.map((m) => monitorView(m, 'owner')), ...received].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export async function updateMonitor(ctx: DomainContext, accountId: string, monitorId: string, patch: PatchMonitorInput): Promise<MonitorView> {
  const store = new MonitorStore(ctx.storage);
  // The probe cycle writes state at any time; each of its writes changes the ETag. Read,
  // apply, write with If-Match, and start over if someone wrote in between.
  for (let tries = 0; tries < 5; tries++) {
    const { monitor } = await ownedMonitor(ctx.storage, monitorId, accountId);
    const applied = applyPatch(monitor, patch);
    if (!applied.ok) throw fromZodIssues(applied.error.issues);
    await checkConfig(ctx, accountId, applied.config, monitor);
    const updatedAt = iso(ctx.now());
    if (await store.updateConfig(monitor, applied.config, updatedAt)) {
      return monitorView({ ...monitor, ...applied.config, updatedAt }, 'owner');
    }
  }
  throw new Rejection('conflict', 'busy', 'the monitor kept changing while being updated; try again');
}

export async function deleteMonitor(ctx: DomainContext, accountId: string, monitorId: string): Promise<void> {
  const { monitor } = await ownedMonitor(ctx.storage, monitorId, accountId);
  await new MonitorStore(ctx.storage).delete(monitor);
}

/**
 * The checks that need more than the request. On update, only what changed is checked
 * again: a channel deleted or a region retired later must not block renaming a monitor.
 */
async function checkConfig(ctx: DomainContext, ownerId: string, config: MonitorConfig, before: MonitorConfig | undefined): Promise<void> {
  if (config.regions && !same(config.regions, before?.regions)) {
    const unknown = config.regions.find((r) => !ctx.config.regions.includes(r));
    if (unknown) throw invalid('validation', `"${unknown}" is not a region of this deployment (${ctx.config.regions.join(', ')})`, 'regions');
  }
  if (config.escalation && !same(config.escalation, before?.escalation)) {
    await checkEscalation(ctx, ownerId, config.escalation, 'escalation');
  }
  if (!before || before.type !== config.type || before.target !== config.target || !same(before.expect, config.expect)) {
    const target = normalizeTarget(config.type, config.target);
    if (!target.ok) throw invalid('validation', target.message, 'target');
    const refusal = await refuseTarget(config.type, target.value, config.expect, ctx.config.allowPrivateTargets, ctx.resolve);
    if (refusal) throw invalid('target_not_allowed', refusal.message, refusal.field);
  }
}

/** Every channel a path names must be one of the account's own (pending ones included: they get alerts once verified). */
export async function checkEscalation(ctx: DomainContext, accountId: string, steps: readonly EscalationStep[], field: string): Promise<void> {
  const own = new Set((await new AccountStore(ctx.storage).listChannels(accountId)).map((c) => c.id));
  steps.forEach((step, i) => {
    const j = step.channels.findIndex((id) => !own.has(id));
    if (j >= 0) throw invalid('validation', `${step.channels[j]} is not one of your channels`, `${field}.${i}.channels.${j}`);
  });
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
