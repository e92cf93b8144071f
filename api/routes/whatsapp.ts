// /api/v1/whatsapp/webhook/{workspace}: the inbound WhatsApp Business webhook. No API key — GET is Meta's
// verification challenge (hub.verify_token), POST is authenticated by X-Hub-Signature-256 over the raw body, read
// before anything parses it. Each Approve/Reject reply is answered in the body (200 once the signature holds, so
// Meta does not redeliver a refused reply; a refusal is in `results`).
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { receiveWhatsAppWebhook, verifyWhatsAppWebhook } from '../../services/notifications/receive-whatsapp.js';
import type { ApiApp } from '../env.js';
import { anyObject, json, route } from '../openapi.js';

const tags = ['Approvals from chat'];
const params = z.object({ workspace: z.string().min(1).max(100) });

export const verify = route({
  method: 'get',
  path: '/whatsapp/webhook/{workspace}',
  tags,
  public: true,
  summary: "Meta's webhook verification (hub.mode=subscribe, hub.verify_token, hub.challenge)",
  request: {
    params,
    query: z.object({
      'hub.mode': z.string().max(50).optional(),
      'hub.verify_token': z.string().max(200).optional(),
      'hub.challenge': z.string().max(200).optional(),
    }),
  },
  responses: { 200: { description: 'The challenge, as text', content: { 'text/plain': { schema: z.string() } } } },
  errors: [403],
});
export const receive = route({
  method: 'post',
  path: '/whatsapp/webhook/{workspace}',
  tags,
  public: true,
  summary: 'WhatsApp Business webhook: Approve/Reject button replies',
  description:
    'X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the Meta app secret>. A reply acts once (message id), within 5 minutes, from a number linked to a member, answering a notice MBO sent that member; the same roles, four-eyes and expiry apply.',
  request: { params, body: { content: { 'application/json': { schema: anyObject } }, required: true } },
  responses: { 200: json(z.object({ results: z.array(anyObject) }), 'What became of each message') },
  errors: [400, 401, 413],
});

export function registerWhatsApp(api: ApiApp, app: AppContext) {
  api.get('/whatsapp/webhook/:workspace', async (c) => {
    const challenge = await verifyWhatsAppWebhook(app, {
      workspace: c.req.param('workspace'),
      mode: c.req.query('hub.mode'),
      token: c.req.query('hub.verify_token'),
      challenge: c.req.query('hub.challenge'),
    });
    return c.text(challenge, 200);
  });
  api.post('/whatsapp/webhook/:workspace', async (c) => {
    const out = await receiveWhatsAppWebhook(app, {
      workspace: c.req.param('workspace'),
      signature: c.req.header('x-hub-signature-256'),
      rawBody: await c.req.text(),
    });
    return c.json(out as unknown as Record<string, unknown>, 200);
  });
  api.openAPIRegistry.registerPath(verify as never);
  api.openAPIRegistry.registerPath(receive as never);
}
