import { z } from 'zod';
import { VERSION } from '../version.js';
import type { HttpDoc } from '../runtime.js';
import { handle, json } from './http.js';

export const healthSchema = z
  .object({
    status: z.enum(['ok', 'error']),
    region: z.string(),
    version: z.string(),
    storage: z.enum(['ok', 'error']),
  })
  .meta({ id: 'Health' });

const STORAGE_TIMEOUT_MS = 3000;

/** GET /api/health: 200 when this region can reach Table Storage, 503 otherwise. */
export const getHealth = handle(async (_request, context) => {
  let storage: 'ok' | 'error' = 'ok';
  try {
    await context.services.storage.ping(STORAGE_TIMEOUT_MS);
  } catch (err) {
    context.warn('health: storage unreachable', { error: String(err) });
    storage = 'error';
  }
  const body = { status: storage, region: context.region, version: VERSION, storage } satisfies z.infer<typeof healthSchema>;
  return json(storage === 'ok' ? 200 : 503, body);
});

export const healthDoc: HttpDoc = {
  summary: 'Is this region up and able to reach storage?',
  tags: ['health'],
  auth: 'none',
  responses: {
    200: { description: 'Healthy', schema: healthSchema },
    503: { description: 'Table Storage is unreachable', schema: healthSchema },
  },
};
