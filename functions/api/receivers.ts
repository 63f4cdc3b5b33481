import { z } from 'zod';
import { emailAddressSchema } from '../accounts/addresses.js';
import { answerInvitation, inviteReceiver, listReceivers, listReceiving, removeReceiver } from '../accounts/receivers.js';
import { escalationSchema } from '../monitors/model.js';
import type { HttpFunction } from '../runtime.js';
import { handleCaller, pathId, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, noContent, readJson } from './http.js';
import { MONITOR_ID } from './monitors.js';

// Receivers (added to API.md's routes; see docs/ACCOUNTS.md): an owner invites accounts by
// address to receive a monitor's alerts; each invitee accepts or refuses and owns its path.

const STATUS = z.enum(['invited', 'accepted', 'refused']);

export const receiverInviteSchema = z.strictObject({ email: emailAddressSchema }).meta({ id: 'ReceiverInvite' });

export const receiverSchema = z
  .object({
    id: z.string().describe('Receiver id on this monitor'),
    email: z.string(),
    status: STATUS,
    accountId: z.string().optional().describe('The account that answered'),
    invitedAt: z.string(),
    respondedAt: z.string().optional(),
  })
  .meta({ id: 'Receiver' });

export const receiverAnswerSchema = z
  .strictObject({
    accept: z.boolean(),
    escalation: escalationSchema.nullable().optional().describe("Your path over your own channels; null: all your verified channels at once"),
    repeatMinutes: z.number().int().min(1).max(1440).nullable().optional().describe("Minutes between repeated alerts to you; null: the monitor's"),
  })
  .meta({ id: 'ReceiverAnswer' });

export const receivingSchema = z
  .object({
    monitorId: z.string(),
    monitorName: z.string(),
    ownerEmail: z.string(),
    status: STATUS,
    escalation: escalationSchema.nullable(),
    repeatMinutes: z.number().int().nullable(),
    invitedAt: z.string(),
    respondedAt: z.string().optional(),
  })
  .meta({ id: 'Receiving' });

const RECEIVER_REF = /^(?:[0-9a-f]{64}|a[a-z0-9]{20})$/;

export function receiverFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'receivers',
      route: 'monitors/{id}/receivers',
      methods: ['GET', 'POST'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        if (request.method === 'GET') {
          return json(200, await listReceivers(ctx, caller.accountId, pathId(request, 'id', MONITOR_ID, 'monitor')));
        }
        const monitorId = pathId(request, 'id', MONITOR_ID, 'monitor');
        const input = await readJson(request, receiverInviteSchema);
        const { receiver, created } = await inviteReceiver(ctx, caller.accountId, monitorId, input.email);
        return json(created ? 201 : 200, receiver);
      }),
      doc: {
        GET: {
          summary: 'Who is invited to receive the alerts of a monitor, and their answers (owner only)',
          tags: ['receivers'],
          auth: 'key',
          responses: { 200: { description: 'Receivers', schema: z.array(receiverSchema) }, 404: { description: 'No such monitor visible to the caller', schema: errorBodySchema } },
        },
        POST: {
          summary: 'Invite an address to receive the alerts of a monitor (owner only); the invitee confirms',
          tags: ['receivers'],
          auth: 'key',
          body: receiverInviteSchema,
          responses: {
            201: { description: 'Invited: a message with an acceptance link went to the address', schema: receiverSchema },
            200: { description: 'Invited before (a pending invitation is sent again)', schema: receiverSchema },
            409: { description: 'Too many receivers', schema: errorBodySchema },
            429: { description: 'Invited too often lately', schema: errorBodySchema },
          },
        },
      },
    },
    {
      kind: 'http',
      name: 'receivers-me',
      route: 'monitors/{id}/receivers/me',
      methods: ['PUT', 'DELETE'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        const monitorId = pathId(request, 'id', MONITOR_ID, 'monitor');
        if (request.method === 'DELETE') {
          await removeReceiver(ctx, caller.accountId, monitorId, 'me');
          return noContent();
        }
        const input = await readJson(request, receiverAnswerSchema);
        return json(200, await answerInvitation(ctx, caller.accountId, monitorId, input));
      }),
      doc: {
        PUT: {
          summary: "Accept or refuse an invitation to a monitor's alerts, and set your own path",
          tags: ['receivers'],
          auth: 'key',
          body: receiverAnswerSchema,
          responses: { 200: { description: 'Your answer and path', schema: receivingSchema }, 404: { description: 'No invitation for your address on this monitor', schema: errorBodySchema } },
        },
        DELETE: {
          summary: "Leave: stop receiving a monitor's alerts and drop the invitation",
          tags: ['receivers'],
          auth: 'key',
          responses: { 204: { description: 'Left' }, 404: { description: 'No invitation for your address on this monitor', schema: errorBodySchema } },
        },
      },
    },
    {
      kind: 'http',
      name: 'receivers-delete',
      route: 'monitors/{id}/receivers/{receiverId}',
      methods: ['DELETE'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        const monitorId = pathId(request, 'id', MONITOR_ID, 'monitor');
        await removeReceiver(ctx, caller.accountId, monitorId, pathId(request, 'receiverId', RECEIVER_REF, 'receiver'));
        return noContent();
      }),
      doc: {
        DELETE: {
          summary: 'Withdraw an invitation or subscription (owner; a receiver may remove itself). Receiver id or account id.',
          tags: ['receivers'],
          auth: 'key',
          responses: { 204: { description: 'Withdrawn' }, 404: { description: 'No such monitor or receiver', schema: errorBodySchema } },
        },
      },
    },
    {
      kind: 'http',
      name: 'receiving',
      route: 'receiving',
      methods: ['GET'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        return json(200, await listReceiving(ctx, caller.accountId));
      }),
      doc: {
        GET: {
          summary: 'Invitations to your address and your answers: the monitors whose alerts you receive or may receive',
          tags: ['receivers'],
          auth: 'key',
          responses: { 200: { description: 'Invitations, oldest first', schema: z.array(receivingSchema) } },
        },
      },
    },
  ];
}
