import { z } from 'zod';
import { addChannel, deleteChannel, listChannels } from '../accounts/channels.js';
import { CHANNEL_KINDS } from '../alerts/message.js';
import type { HttpFunction } from '../runtime.js';
import { handleCaller, pathId, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, noContent, readJson } from './http.js';

// Channels (API.md): where an account's alerts go. Added pending; verified by a link.

export const channelCreateSchema = z
  .strictObject({
    kind: z.enum(CHANNEL_KINDS),
    address: z.string().min(1).max(2048).describe('Email address, phone number in E.164 (+14155550100), or http(s) webhook URL'),
  })
  .meta({ id: 'ChannelCreate' });

export const channelSchema = z
  .object({
    id: z.string(),
    kind: z.enum(CHANNEL_KINDS),
    address: z.string(),
    status: z.enum(['pending', 'verified']).describe('Only verified channels get alerts'),
    createdAt: z.string(),
    verifiedAt: z.string().optional(),
    signingSecret: z.string().optional().describe('Webhooks, in the answer that created them only: deliveries carry X-SM-Signature: sha256=HMAC(secret, body)'),
  })
  .meta({ id: 'Channel' });

const CHANNEL_ID = /^c[a-z0-9]{20}$/;

export function channelFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'channels',
      route: 'channels',
      methods: ['GET', 'POST'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        if (request.method === 'GET') {
          return json(200, await listChannels(ctx, caller.accountId));
        }
        const input = await readJson(request, channelCreateSchema);
        const { channel, created } = await addChannel(ctx, caller.accountId, input);
        return json(created ? 201 : 200, channel);
      }),
      doc: {
        GET: {
          summary: "The account's channels",
          tags: ['channels'],
          auth: 'key',
          responses: { 200: { description: 'Channels, oldest first', schema: z.array(channelSchema) } },
        },
        POST: {
          summary: 'Add a channel; a confirmation goes to its address',
          tags: ['channels'],
          auth: 'key',
          body: channelCreateSchema,
          responses: {
            201: { description: 'Added, pending its confirmation', schema: channelSchema },
            200: { description: 'The account has this channel already (a pending one gets its confirmation again)', schema: channelSchema },
            409: { description: 'Too many channels', schema: errorBodySchema },
            429: { description: 'Confirmation sent to this address too often lately', schema: errorBodySchema },
          },
        },
      },
    },
    {
      kind: 'http',
      name: 'channels-delete',
      route: 'channels/{id}',
      methods: ['DELETE'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        await deleteChannel(ctx, caller.accountId, pathId(request, 'id', CHANNEL_ID, 'channel'));
        return noContent();
      }),
      doc: {
        DELETE: {
          summary: 'Remove a channel: it gets no more alerts from this moment',
          tags: ['channels'],
          auth: 'key',
          responses: { 204: { description: 'Removed' }, 404: { description: 'No such channel of this account', schema: errorBodySchema } },
        },
      },
    },
  ];
}
