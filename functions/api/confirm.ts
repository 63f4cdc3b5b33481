import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { z } from 'zod';
import { confirm, previewConfirmation } from '../accounts/confirm.js';
import { Rejection } from '../accounts/errors.js';
import type { FunctionContext, HttpFunction } from '../runtime.js';
import { domainContext, rejectionResponse, statusOf, type AccountsApiOptions } from './domain.js';
import { errorBodySchema } from './errors.js';
import { handle, html, json } from './http.js';
import { confirmationPage, problemPage, resultPage } from './pages.js';

// /api/confirm/<token>: GET shows what the link confirms, with a button, and changes
// nothing; POST confirms (API.md). Pages for people, JSON for `Accept: application/json`.

export const confirmationResultSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('account'), accountId: z.string(), apiKey: z.string().describe('Shown this once') }),
    z.object({ kind: z.literal('channel'), channelId: z.string(), status: z.literal('verified') }),
    z.object({ kind: z.literal('receiver'), monitorId: z.string(), status: z.literal('accepted') }),
  ])
  .meta({ id: 'ConfirmationResult' });

export const confirmationPreviewSchema = z
  .object({ kind: z.enum(['account', 'recovery', 'channel', 'receiver']), action: z.string() })
  .meta({ id: 'ConfirmationPreview' });

/** Programs ask for JSON; browsers (which also accept anything) get the page. */
function wantsJson(request: HttpRequest): boolean {
  const accept = request.headers.get('accept') ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function refused(request: HttpRequest, rejection: Rejection): HttpResponseInit {
  if (wantsJson(request)) return rejectionResponse(rejection);
  const title = rejection.kind === 'gone' ? 'This link no longer works' : 'Not now';
  return html(statusOf(rejection), problemPage(title, rejection.message));
}

function withRefusals(handler: (request: HttpRequest, context: FunctionContext) => Promise<HttpResponseInit>) {
  return handle(async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      if (err instanceof Rejection) return refused(request, err);
      throw err;
    }
  });
}

export function confirmFunctions(options: AccountsApiOptions): HttpFunction[] {
  return [
    {
      kind: 'http',
      name: 'confirm',
      route: 'confirm/{token}',
      methods: ['GET', 'POST'],
      authLevel: 'anonymous',
      handler: withRefusals(async (request, context) => {
        const ctx = domainContext(context, options);
        const token = request.params['token'] ?? '';
        if (request.method === 'GET') {
          const preview = await previewConfirmation(ctx, token);
          return wantsJson(request) ? json(200, preview) : html(200, confirmationPage(preview));
        }
        const result = await confirm(ctx, token);
        return wantsJson(request) ? json(200, result) : html(200, resultPage(result));
      }),
      doc: {
        GET: {
          summary: 'What a confirmation link confirms: a page with a button (changes nothing)',
          tags: ['accounts'],
          auth: 'none',
          responses: {
            200: { description: 'The page (JSON preview with Accept: application/json)', contentType: 'text/html' },
            410: { description: 'Expired, altered or used link', schema: errorBodySchema },
          },
        },
        POST: {
          summary: 'Confirm: activate an account (showing its first API key once), verify a channel, or accept an invitation',
          tags: ['accounts'],
          auth: 'none',
          responses: {
            200: { description: 'Done (HTML page, or JSON with Accept: application/json)', schema: confirmationResultSchema },
            409: { description: 'Not possible yet (an invitation needs an account for the invited address)', schema: errorBodySchema },
            410: { description: 'Expired, altered or used link; nothing changed', schema: errorBodySchema },
          },
        },
      },
    },
  ];
}
