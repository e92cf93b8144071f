// /api/v1/accounts: connect a live ad account with its credentials (admin; checked against the platform, stored
// encrypted, never returned) and test an account's access. /api/v1/analytics/ga4: the workspace's GA4 property —
// connect it (admin), sync its daily traffic (analyst) and read GA4's conversions beside the platforms' (viewer).
import { z } from 'zod';
import { accountParamSchema, connectAccountSchema } from '../../services/accounts/accounts.schema.js';
import { connectAccount, testAccount } from '../../services/accounts/connect-account.js';
import { connectGa4, readGa4CrossCheck, syncGa4Traffic } from '../../services/accounts/ga4.js';
import { connectOAuth, exchangeOAuth, startOAuth } from '../../services/accounts/oauth.js';
import { connectOAuthSchema, exchangeOAuthSchema, startOAuthSchema } from '../../services/accounts/oauth.schema.js';
import { connectGa4Schema, ga4RangeBase } from '../../services/accounts/ga4.schema.js';
import type { AppContext } from '../../services/context.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, route } from '../openapi.js';

export const connect = route({
  method: 'post',
  path: '/accounts',
  tags: ['Workspace'],
  summary: 'Connect a live ad account (admin): credentials are checked with the platform, then stored encrypted',
  request: body(connectAccountSchema),
  responses: {
    201: json(
      z.object({ id: z.string(), platform: z.string(), externalId: z.string(), name: z.string(), currency: z.string(), timeZone: z.string() }),
      'The account',
    ),
  },
  errors: [409, 422],
});
export const test = route({
  method: 'post',
  path: '/accounts/{account}/test',
  tags: ['Workspace'],
  summary: "Check an account's access now (admin)",
  request: { params: accountParamSchema },
  responses: { 200: json(anyObject, '`ok` and what the platform answered') },
  errors: [404],
});

export const oauthStart = route({
  method: 'post',
  path: '/accounts/oauth/start',
  tags: ['Workspace'],
  summary: "Start a platform's OAuth consent (admin): the consent URL, with state (and PKCE where the platform takes it)",
  request: body(startOAuthSchema),
  responses: {
    201: json(z.object({ platform: z.string(), state: z.string(), authorizeUrl: z.string(), pkce: z.boolean(), expiresAt: z.string() }), 'The consent to open'),
  },
  errors: [],
});
export const oauthExchange = route({
  method: 'post',
  path: '/accounts/oauth/exchange',
  tags: ['Workspace'],
  summary: 'Exchange the code the callback received (admin, once per consent): lists the accounts the token reaches',
  request: body(exchangeOAuthSchema),
  responses: {
    200: json(
      z.object({ platform: z.string(), state: z.string(), accounts: z.array(z.object({ externalId: z.string(), name: z.string().nullable() })) }),
      'Accounts',
    ),
  },
  errors: [404, 409, 422, 429, 503],
});
export const oauthConnect = route({
  method: 'post',
  path: '/accounts/oauth/connect',
  tags: ['Workspace'],
  summary: 'Connect the chosen account with the consented token (admin): checked with the platform, stored encrypted',
  request: body(connectOAuthSchema),
  responses: {
    201: json(
      z.object({ id: z.string(), platform: z.string(), externalId: z.string(), name: z.string(), currency: z.string(), timeZone: z.string() }),
      'The account',
    ),
  },
  errors: [404, 409, 422],
});

export const ga4Connect = route({
  method: 'post',
  path: '/analytics/ga4',
  tags: ['Workspace'],
  summary: "Connect the workspace's GA4 property (admin): checked with one small report, then stored encrypted",
  request: body(connectGa4Schema),
  responses: {
    201: json(z.object({ id: z.string(), propertyId: z.string(), currency: z.string().nullable(), timeZone: z.string().nullable() }), 'The property'),
  },
  errors: [422, 429, 503],
});
export const ga4Sync = route({
  method: 'post',
  path: '/analytics/ga4/sync',
  tags: ['Workspace'],
  summary: "Read GA4's daily sessions, key events and revenue by source/medium/campaign and store them (analyst)",
  request: body(ga4RangeBase),
  responses: { 200: json(anyObject, 'Rows read and rows changed') },
  errors: [404, 422, 429, 503],
});
export const ga4CrossCheck = route({
  method: 'get',
  path: '/analytics/ga4/cross-check',
  tags: ['Workspace'],
  summary: "GA4's conversions and revenue by source/medium/campaign, and per ad platform beside what the platform reports",
  request: { query: ga4RangeBase },
  responses: { 200: json(anyObject, 'GA4 per source and per platform, with the platforms’ own figures') },
  errors: [404],
});

export function registerAccounts(api: ApiApp, app: AppContext) {
  api.openapi(connect, async (c) => c.json(await connectAccount(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(test, async (c) => c.json((await testAccount(serviceContext(app, c), c.req.valid('param'))) as never, 200));
  api.openapi(oauthStart, async (c) => c.json(await startOAuth(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(oauthExchange, async (c) => c.json(await exchangeOAuth(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(oauthConnect, async (c) => c.json(await connectOAuth(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(ga4Connect, async (c) => c.json(await connectGa4(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(ga4Sync, async (c) => c.json((await syncGa4Traffic(serviceContext(app, c), c.req.valid('json'))) as never, 200));
  api.openapi(ga4CrossCheck, async (c) => c.json((await readGa4CrossCheck(serviceContext(app, c), c.req.valid('query'))) as never, 200));
}
