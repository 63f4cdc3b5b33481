import { z } from 'zod';
import { plainTextSchema } from '../accounts/text.js';
import { emailAddressSchema } from '../accounts/addresses.js';
import { signUp } from '../accounts/signup.js';
import type { HttpFunction } from '../runtime.js';
import { domainContext, handleDomain, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { json, readJson } from './http.js';

// POST /api/accounts: sign-up, the first half of the double opt-in (API.md, Accounts).

export const signupSchema = z
  .strictObject({
    email: emailAddressSchema,
    name: plainTextSchema(100, 'name').optional(),
  })
  .meta({ id: 'Signup' });

export const signupResultSchema = z
  .object({
    id: z.string().describe('The account of this address'),
    status: z.literal('pending').describe('Always pending: the answer never tells whether the address has an account'),
  })
  .meta({ id: 'SignupResult' });

export function accountFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'accounts-create',
      route: 'accounts',
      methods: ['POST'],
      authLevel: 'anonymous',
      handler: handleDomain(async (request, context) => {
        const input = await readJson(request, signupSchema);
        const result = await signUp(domainContext(context, options), { email: input.email, ...(input.name ? { name: input.name } : {}) });
        return json(202, result);
      }),
      doc: {
        POST: {
          summary: 'Sign up: sends a confirmation link to the address',
          tags: ['accounts'],
          auth: 'none',
          body: signupSchema,
          responses: {
            202: { description: 'A confirmation message is on its way (or, for an address with an account, a lost-key link)', schema: signupResultSchema },
            429: { description: 'Too many sign-ups for this address lately (Retry-After says when to try again)', schema: errorBodySchema },
          },
        },
      },
    },
  ];
}
