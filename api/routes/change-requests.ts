// /api/v1/change-requests: request budget changes, pauses and resumes; list and read them; decide (the
// workflow's validated Update); follow a request's status as server-sent events until it settles.
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { getChange, listChanges } from '../../services/change-requests/read-changes.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import {
  changeRequestView,
  changeStatusSchema,
  decideChangeSchema,
  listChangeRequestsSchema,
  requestChangeSchema,
} from '../../services/change-requests/change-requests.schema.js';
import { idSchema } from '../../services/common.schema.js';
import type { AppContext } from '../../services/context.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, page, route } from '../openapi.js';

const tags = ['Change requests'];
const idParam = z.object({ id: idSchema });
const SETTLED = ['BLOCKED', 'REJECTED', 'EXPIRED', 'APPLIED', 'NEEDS_REAPPROVAL', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'FAILED'];

export const create = route({
  method: 'post',
  path: '/change-requests',
  tags,
  summary: 'Request budget changes, pauses, resumes or bid-target changes (analyst)',
  description:
    'Stores the request with the budgets you see and the policy in force, then its workflow evaluates guardrails and waits for approval. Accepts an Idempotency-Key.',
  request: body(requestChangeSchema),
  responses: { 201: json(changeRequestView, 'The stored request (status EVALUATING at first)') },
  errors: [404, 422],
});

export const list = route({
  method: 'get',
  path: '/change-requests',
  tags,
  summary: 'List change requests, newest first',
  request: { query: listChangeRequestsSchema },
  responses: { 200: json(page(changeRequestView), 'A page of requests') },
});

export const show = route({
  method: 'get',
  path: '/change-requests/{id}',
  tags,
  summary: 'One change request with its items, guardrail results and live workflow state',
  request: { params: idParam },
  responses: { 200: json(changeRequestView.extend({ live: anyObject.optional() }), 'The request') },
  errors: [404],
});

export const decide = route({
  method: 'post',
  path: '/change-requests/{id}/decision',
  tags,
  summary: 'Approve or reject a pending request (approver)',
  description:
    'Goes through the workflow Update: the first decision wins; the requester cannot approve their own request under four-eyes. A refused decision is audited and changes nothing.',
  request: { params: idParam, ...body(decideChangeSchema.omit({ requestId: true })) },
  responses: { 200: json(anyObject, 'The workflow state after the decision') },
  errors: [404, 409],
});

export const events = route({
  method: 'get',
  path: '/change-requests/{id}/events',
  tags,
  summary: 'Follow the status as server-sent events until the request settles',
  request: { params: idParam, query: z.object({ timeoutSeconds: z.coerce.number().int().min(1).max(600).default(120) }) },
  responses: {
    200: {
      description: '`status` events (data: {status, items}); the stream ends when the request settles or the timeout passes',
      content: { 'text/event-stream': { schema: z.string() } },
    },
  },
  errors: [404],
});

export function registerChangeRequests(api: ApiApp, app: AppContext) {
  api.openapi(create, async (c) =>
    c.json(await requestChange(serviceContext(app, c), c.req.valid('json'), { idempotencyKey: c.req.header('idempotency-key') }), 201),
  );
  api.openapi(list, async (c) => c.json(await listChanges(serviceContext(app, c), c.req.valid('query')), 200));
  api.openapi(show, async (c) => c.json(await getChange(serviceContext(app, c), { requestId: c.req.valid('param').id }), 200));
  api.openapi(decide, async (c) =>
    c.json(
      (await decideChange(serviceContext(app, c), { ...c.req.valid('json'), requestId: c.req.valid('param').id })) as unknown as Record<string, unknown>,
      200,
    ),
  );
  api.openapi(events, async (c) => {
    const ctx = serviceContext(app, c);
    const requestId = c.req.valid('param').id;
    const deadline = Date.now() + c.req.valid('query').timeoutSeconds * 1000;
    await getChange(ctx, { requestId }); // 404 before the stream starts
    return streamSSE(c, async (stream) => {
      let last = '';
      while (!stream.aborted && Date.now() < deadline) {
        const r = await getChange(ctx, { requestId });
        const now = JSON.stringify({ status: r.status, items: r.items.map((i) => i.status) });
        if (now !== last) {
          await stream.writeSSE({
            event: 'status',
            data: JSON.stringify({ status: r.status, outcome: r.outcome, items: r.items.map((i) => ({ seq: i.seq, status: i.status })) }),
          });
          last = now;
        }
        if (SETTLED.includes(r.status)) break;
        await stream.sleep(500);
      }
    }) as never;
  });
}

export { changeStatusSchema };
