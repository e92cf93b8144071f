// Schemas for connecting an ad account through the platform's OAuth consent (browser-safe): start (what the consent
// URL needs, and the client credentials of the user's own platform app), exchange (the code the loopback callback
// received, with its state) and connect (the account chosen among those the token reaches).
import { z } from 'zod';
import { platformSchema } from '../common.schema.js';
import { connectAccountSchema, connectionUrl } from './accounts.schema.js';

export const LOOPBACK_CALLBACK = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d{1,5}\/callback$/;

export const startOAuthSchema = z.object({
  platform: platformSchema,
  redirectUri: z
    .string()
    .regex(LOOPBACK_CALLBACK, 'the callback must be a loopback address: http://127.0.0.1:<port>/callback')
    .describe('where the platform sends the browser back (a local listener started by the CLI)'),
  client: z
    .object({ clientId: z.string().trim().min(1).max(500), clientSecret: z.string().min(1).max(500) })
    .describe("your platform app's client id and secret (Google OAuth client, Meta app, TikTok app, LinkedIn app); stored encrypted"),
  secrets: z
    .object({ developerToken: z.string().min(1).max(500).optional(), loginCustomerId: z.string().max(20).optional() })
    .optional()
    .describe('Google Ads: the developer token (required) and a manager account id'),
  options: connectAccountSchema.shape.options,
  endpoints: z
    .object({ authorizeUrl: connectionUrl.optional(), tokenUrl: connectionUrl.optional(), apiBaseUrl: connectionUrl.optional() })
    .optional()
    .describe("the platform's consent, token and API hosts (default: the real ones)"),
});

export const exchangeOAuthSchema = z.object({
  state: z.string().min(16).max(200),
  code: z.string().min(1).max(4000),
});

export const connectOAuthSchema = z.object({
  state: z.string().min(16).max(200),
  externalId: z.string().trim().min(1).max(100),
});
