import { z } from 'zod';
import { plainTextSchema } from '../accounts/text.js';
import { createKey, deleteKey, listKeys } from '../accounts/keys.js';
import type { HttpFunction } from '../runtime.js';
import { handleCaller, pathId, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, noContent, readJson } from './http.js';

// API keys (API.md, Accounts): more keys for integrations, read-only ones for dashboards.

export const keyCreateSchema = z
  .strictObject({
    readOnly: z.boolean().describe('A read-only key can read everything its account can, and change nothing'),
    label: plainTextSchema(100, 'label').optional(),
  })
  .meta({ id: 'KeyCreate' });

export const keySchema = z
  .object({ id: z.string(), readOnly: z.boolean(), label: z.string().optional(), createdAt: z.string() })
  .meta({ id: 'ApiKey' });

export const keyCreatedSchema = keySchema.extend({ apiKey: z.string().describe('The key: shown this once, stored only as a hash') }).meta({ id: 'ApiKeyCreated' });

const KEY_ID = /^k[a-z0-9]{20}$/;

export function keyFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'keys',
      route: 'keys',
      methods: ['GET', 'POST'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        if (request.method === 'GET') {
          return json(200, await listKeys(ctx, caller.accountId));
        }
        const input = await readJson(request, keyCreateSchema);
        return json(201, await createKey(ctx, caller.accountId, { readOnly: input.readOnly, ...(input.label ? { label: input.label } : {}) }));
      }),
      doc: {
        GET: {
          summary: "The account's API keys (never the keys themselves)",
          tags: ['keys'],
          auth: 'key',
          responses: { 200: { description: 'Keys, oldest first', schema: z.array(keySchema) } },
        },
        POST: {
          summary: 'A new API key, shown once',
          tags: ['keys'],
          auth: 'key',
          body: keyCreateSchema,
          responses: { 201: { description: 'The key', schema: keyCreatedSchema } },
        },
      },
    },
    {
      kind: 'http',
      name: 'keys-delete',
      route: 'keys/{id}',
      methods: ['DELETE'],
      authLevel: 'anonymous',
      handler: handleCaller(options, async (request, caller, ctx) => {
        await deleteKey(ctx, caller.accountId, pathId(request, 'id', KEY_ID, 'API key'));
        return noContent();
      }),
      doc: {
        DELETE: {
          summary: 'Revoke an API key (it stops working at once)',
          tags: ['keys'],
          auth: 'key',
          responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key of this account', schema: errorBodySchema } },
        },
      },
    },
  ];
}
