import { z } from 'zod';
import type { ChannelKind } from '../alerts/message.js';
import { canonicalHost } from '../monitors/target.js';
import { refuseHost, type Resolve } from '../monitors/target-policy.js';
import { invalid } from './errors.js';

// Where alerts can go: email addresses, phone numbers (E.164) and webhook URLs, each in one
// stored spelling so the same address added twice is recognised as the same channel.

export const emailAddressSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ error: 'not an email address' }))
  .meta({ format: 'email', example: 'you@example.com' });

const E164 = /^\+[1-9][0-9]{6,14}$/;
const MAX_URL_LENGTH = 2048;

/** The stored spelling of an address of this kind; throws a 400 rejection when it is not one. */
export async function normalizeAddress(
  kind: ChannelKind,
  address: string,
  options: { allowPrivateTargets: boolean; resolve?: Resolve },
): Promise<string> {
  switch (kind) {
    case 'email': {
      const parsed = emailAddressSchema.safeParse(address);
      if (!parsed.success) throw invalid('validation', 'not an email address', 'address');
      return parsed.data;
    }
    case 'sms': {
      // People write +1 (555) 010-0199; ACS wants +15550100199.
      const phone = address.replace(/[\s\-().]/g, '');
      if (!E164.test(phone)) throw invalid('validation', 'expected a phone number in E.164 form, e.g. +14155550100', 'address');
      return phone;
    }
    case 'webhook':
      return normalizeWebhookUrl(address, options);
  }
}

async function normalizeWebhookUrl(address: string, options: { allowPrivateTargets: boolean; resolve?: Resolve }): Promise<string> {
  if (address.length > MAX_URL_LENGTH) throw invalid('validation', `the URL is longer than ${MAX_URL_LENGTH} characters`, 'address');
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    throw invalid('validation', 'expected an http(s) URL such as https://hooks.example.com/alerts', 'address');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('validation', 'expected an http(s) URL', 'address');
  if (url.username || url.password) throw invalid('validation', 'credentials in the URL are not accepted; put a secret in the path instead', 'address');
  const host = canonicalHost(url.hostname.replace(/^\[(.*)\]$/, '$1'));
  if (!host) throw invalid('validation', 'the URL has no host', 'address');
  const refusal = await refuseHost(host, options.allowPrivateTargets, options.resolve);
  if (refusal) throw invalid('target_not_allowed', refusal, 'address');
  url.hash = '';
  return url.href;
}
