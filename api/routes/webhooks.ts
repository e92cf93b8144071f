// /api/v1 webhooks: outbound endpoints of the workspace (admin), chat identities (admin), the inbound signing
// secret (admin), and the inbound, signed approval decision a chat tool posts (no API key: the HMAC signature
// is the credential).
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { addWebhookSchema, inboundDecisionSchema, setChatIdentitySchema, webhookIdSchema } from '../../services/webhooks/webhooks.schema.js';
import { testWebhook } from '../../services/webhooks/test-webhook.js';
import { addWebhook, listWebhooks, receiveSignedDecision, removeWebhook, rotateInboundSecret, setChatIdentity } from '../../services/webhooks/webhooks.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, route } from '../openapi.js';

const tags = ['Webhooks'];
export const list = route({
  method: 'get',
  path: '/webhooks',
  tags,
  summary: 'Outbound webhooks (admin)',
  responses: { 200: json(z.array(anyObject), 'Webhooks') },
});
export const add = route({
  method: 'post',
  path: '/webhooks',
  tags,
  summary: 'Add an outbound webhook (admin); its signing secret is in this answer only',
  request: body(addWebhookSchema),
  responses: { 201: json(z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), secret: z.string() }), 'The webhook') },
});
export const remove = route({
  method: 'delete',
  path: '/webhooks/{webhookId}',
  tags,
  summary: 'Remove an outbound webhook (admin)',
  request: { params: webhookIdSchema },
  responses: { 204: { description: 'Removed' } },
  errors: [404],
});
export const testRoute = route({
  method: 'post',
  path: '/webhooks/{webhookId}/test',
  tags,
  summary: 'Send one signed test message to an outbound webhook (admin); says whether the receiver took it',
  request: { params: webhookIdSchema },
  responses: { 200: json(z.object({ delivered: z.boolean(), status: z.number(), error: z.string().nullable() }), 'What the receiver answered') },
  errors: [404],
});
export const chatIdentity = route({
  method: 'put',
  path: '/chat-identities',
  tags,
  summary: 'Link a chat user or phone number to a member (admin)',
  request: body(setChatIdentitySchema),
  responses: { 200: json(anyObject, 'The link') },
  errors: [404],
});
export const rotate = route({
  method: 'post',
  path: '/webhooks/inbound-secret',
  tags,
  summary: 'A new signing secret for inbound decisions (admin); shown once',
  responses: { 201: json(z.object({ secret: z.string(), header: z.string() }), 'The secret') },
});
export const decision = route({
  method: 'post',
  path: '/webhooks/decisions/{workspace}',
  tags,
  public: true,
  summary: 'A signed approval decision from a chat tool',
  description:
    'Headers X-MBO-Timestamp (unix seconds) and X-MBO-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> with the workspace secret; 5-minute window; each signature is accepted once. The sender is mapped to a member by its chat identity; the same roles and four-eyes apply.',
  request: { params: z.object({ workspace: z.string().min(1).max(100) }), ...body(inboundDecisionSchema) },
  responses: { 200: json(anyObject, 'The workflow state after the decision') },
  errors: [400, 401, 403, 404, 409, 413],
});

export function registerWebhooks(api: ApiApp, app: AppContext) {
  api.openapi(list, async (c) => c.json(await listWebhooks(serviceContext(app, c)), 200));
  api.openapi(add, async (c) => c.json(await addWebhook(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(remove, async (c) => {
    await removeWebhook(serviceContext(app, c), c.req.valid('param'));
    return c.body(null, 204);
  });
  api.openapi(testRoute, async (c) => c.json(await testWebhook(serviceContext(app, c), c.req.valid('param')), 200));
  api.openapi(chatIdentity, async (c) => c.json(await setChatIdentity(serviceContext(app, c), c.req.valid('json')), 200));
  api.openapi(rotate, async (c) => c.json(await rotateInboundSecret(serviceContext(app, c)), 201));
  // The signature covers the raw body: read it before anything parses it (the schema is for the document only).
  api.post('/webhooks/decisions/:workspace', async (c) => {
    const state = await receiveSignedDecision(app, {
      workspace: c.req.param('workspace'),
      timestamp: c.req.header('x-mbo-timestamp'),
      signature: c.req.header('x-mbo-signature'),
      rawBody: await c.req.text(),
    });
    return c.json(state as unknown as Record<string, unknown>, 200);
  });
  api.openAPIRegistry.registerPath(decision as never);
}
