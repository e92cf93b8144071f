// /api/v1/accounts: connect a live ad account with its credentials (admin; checked against the platform, stored
// encrypted, never returned) and test an account's access.
import { z } from 'zod';
import { accountParamSchema, connectAccountSchema } from '../../services/accounts/accounts.schema.js';
import { connectAccount, testAccount } from '../../services/accounts/connect-account.js';
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

export function registerAccounts(api: ApiApp, app: AppContext) {
  api.openapi(connect, async (c) => c.json(await connectAccount(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(test, async (c) => c.json((await testAccount(serviceContext(app, c), c.req.valid('param'))) as never, 200));
}
