import type { OutgoingMessage } from '../alerts/message.js';
import type { Destination } from '../alerts/destinations.js';
import type { Monitor } from '../monitors/model.js';
import { z } from 'zod';
import { phasesSchema, probeErrorSchema, type Phases } from '../probes/spec.js';
import { MAX_FAILURE_ALERTS } from './policy.js';
import type { Verdict } from './verdict.js';

// What an alert says (issue 6, item 6): the monitor, what failed, from which regions, the
// phases, and a link to the incident. Email and webhooks get it all; an SMS is one segment
// (160 GSM-7 characters), so it says only what a person needs to decide to look.

/** What the failing regions saw, kept small enough to travel in orchestration history. */
export const failureSummarySchema = z.object({
  minute: z.number(),
  at: z.string(),
  regions: z.array(z.object({ region: z.string(), error: probeErrorSchema.optional(), status: z.number().optional(), phases: phasesSchema })),
});
export type FailureSummary = z.infer<typeof failureSummarySchema>;

export function summarize(verdict: Verdict): FailureSummary {
  const failing = verdict.reports.filter((r) => !r.ok && r.trusted);
  return {
    minute: verdict.minute,
    at: verdict.at,
    regions: failing.map((r) => ({
      region: r.region,
      ...(r.error ? { error: { class: r.error.class, message: r.error.message.slice(0, 300), ...(r.error.code ? { code: r.error.code } : {}) } } : {}),
      ...(r.status !== undefined ? { status: r.status } : {}),
      phases: r.phases,
    })),
  };
}

export interface AlertContent {
  readonly kind: 'failure' | 'recovery';
  readonly monitor: Pick<Monitor, 'id' | 'name' | 'type' | 'target'>;
  readonly incidentId: string;
  readonly openedAt: string;
  /** When this alert is sent (recovery: when the target came back). */
  readonly at: string;
  /** Failure alerts: 1..4. */
  readonly sequence?: number;
  readonly failure?: FailureSummary;
  readonly publicBaseUrl: string;
}

export function incidentLink(publicBaseUrl: string, incidentId: string): string {
  return `${publicBaseUrl}/api/incidents/${incidentId}`;
}

export function alertMessage(content: AlertContent, destination: Pick<Destination, 'accountId' | 'channel'>): OutgoingMessage {
  const base = {
    channel: destination.channel.kind,
    to: destination.channel.address,
    destination: { accountId: destination.accountId, channelId: destination.channel.id },
  };
  switch (destination.channel.kind) {
    case 'sms':
      return { ...base, text: smsText(content) };
    case 'webhook':
      return {
        ...base,
        subject: subject(content),
        text: longText(content),
        data: webhookData(content),
        ...(destination.channel.signingSecret ? { signingSecret: destination.channel.signingSecret } : {}),
      };
    case 'email':
      return { ...base, subject: subject(content), text: longText(content) };
  }
}

function subject(c: AlertContent): string {
  return c.kind === 'failure' ? `DOWN: ${c.monitor.name}` : `RECOVERED: ${c.monitor.name}`;
}

function whatFailed(failure: FailureSummary | undefined): string {
  const first = failure?.regions.find((r) => r.error) ?? failure?.regions[0];
  if (!first) return 'no satisfactory answer from any region';
  if (first.error) return `${first.error.class}: ${first.error.message}${first.error.code ? ` (${first.error.code})` : ''}`;
  return first.status !== undefined ? `status ${first.status}` : 'failed';
}

function ms(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 10) / 10} ms`;
}

function phasesLine(p: Phases): string {
  return `dns ${ms(p.dns)}, connect ${ms(p.connect)}, tls ${ms(p.tls)}, first byte ${ms(p.firstByte)}, total ${ms(p.total)}`;
}

function minutesBetween(from: string, to: string): number {
  return Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 60_000));
}

function longText(c: AlertContent): string {
  const link = incidentLink(c.publicBaseUrl, c.incidentId);
  const what = `${c.monitor.name} (${c.monitor.type} ${c.monitor.target})`;
  if (c.kind === 'recovery') {
    return [`${what} is answering again.`, `Down since ${c.openedAt}, recovered at ${c.at}.`, '', `Incident: ${link}`].join('\n');
  }
  const lines = [`${what} is failing since ${c.openedAt}.`, '', `What failed: ${whatFailed(c.failure)}`];
  const regions = c.failure?.regions ?? [];
  if (regions.length > 0) {
    lines.push(`Failing from: ${regions.map((r) => r.region).join(', ')}`, '');
    for (const r of regions) {
      const cause = r.error ? `${r.error.class}: ${r.error.message}` : r.status !== undefined ? `status ${r.status}` : 'failed';
      lines.push(`${r.region}: ${cause}${r.status !== undefined && r.error ? ` (status ${r.status})` : ''}`, `  phases: ${phasesLine(r.phases)}`);
    }
  }
  lines.push('', `Alert ${c.sequence ?? 1} of at most ${MAX_FAILURE_ALERTS} for this incident.`, `Incident: ${link}`);
  return lines.join('\n');
}

function webhookData(c: AlertContent): Record<string, unknown> {
  return {
    type: c.kind === 'failure' ? 'incident.failure' : 'incident.recovery',
    incident: { id: c.incidentId, openedAt: c.openedAt, url: incidentLink(c.publicBaseUrl, c.incidentId) },
    monitor: { id: c.monitor.id, name: c.monitor.name, type: c.monitor.type, target: c.monitor.target },
    at: c.at,
    ...(c.sequence !== undefined ? { sequence: c.sequence } : {}),
    ...(c.failure ? { failure: c.failure } : {}),
  };
}

// ── SMS: one GSM-7 segment ──────────────────────────────────────────────────────────────

export const SMS_SEGMENT = 160;

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

/** Length in GSM-7 septets; undefined when the text needs UCS-2 (70 characters a segment). */
export function gsm7Length(text: string): number | undefined {
  let n = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) n += 1;
    else if (GSM7_EXTENDED.has(ch)) n += 2;
    else return undefined;
  }
  return n;
}

/** Text from users (monitor names, error messages) in the basic GSM-7 set, so one emoji cannot halve the segment. */
function gsm7Safe(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD')) {
    if (GSM7_BASIC.has(ch) && ch !== '\n' && ch !== '\r') out += ch;
    else if (/\p{M}/u.test(ch)) continue; // accents split off by NFKD
    else out += ch === '\n' || ch === '\r' || ch === '\t' ? ' ' : '?';
  }
  return out;
}

function fit(text: string, septets: number): string {
  if (text.length <= septets) return text;
  return septets <= 1 ? '' : `${text.slice(0, septets - 1).trimEnd()}.`;
}

function smsText(c: AlertContent): string {
  const link = incidentLink(c.publicBaseUrl, c.incidentId);
  const name = gsm7Safe(c.monitor.name);
  if (c.kind === 'recovery') {
    const head = `UP: ${name} recovered after ${minutesBetween(c.openedAt, c.at)} min`;
    return compose([head], link);
  }
  const first = c.failure?.regions.find((r) => r.error) ?? c.failure?.regions[0];
  const cause = gsm7Safe(first?.error ? `${first.error.class}${first.error.code ? ` ${first.error.code}` : ''}` : first?.status !== undefined ? `status ${first.status}` : 'failing');
  const regions = gsm7Safe((c.failure?.regions ?? []).map((r) => r.region).join(','));
  return compose([`DOWN ${c.sequence ?? 1}/${MAX_FAILURE_ALERTS}: ${name}`, `${cause}${regions ? ` from ${regions}` : ''}`], link);
}

/** Parts joined by newlines, then the link; the first part (the name) gives way first, then the rest. */
function compose(parts: string[], link: string): string {
  const linkLength = gsm7Length(link);
  // A base URL too long (or not GSM-7) to leave room for the news is left out, not the news.
  const safeLink = linkLength !== undefined && linkLength <= SMS_SEGMENT - 40 ? link : '';
  const budget = SMS_SEGMENT - (safeLink ? linkLength! + 1 : 0);
  let text = parts.join('\n');
  if (text.length > budget) {
    const rest = parts.slice(1).join('\n');
    const headBudget = budget - (rest ? rest.length + 1 : 0);
    text = headBudget >= 12 ? [fit(parts[0]!, headBudget), ...parts.slice(1)].join('\n') : fit(text, budget);
  }
  return safeLink ? `${text}\n${safeLink}` : text;
}
