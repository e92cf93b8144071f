// /api/v1/syncs/{workflowId}: one sync as its workflow reports it (each account's progress, then the result), so
// a client follows a sync it started by polling the API rather than holding a Temporal connection (`mbo sync --wait`).
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { syncIdSchema } from '../../services/sync/sync.schema.js';
import { getSync } from '../../services/sync/sync.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, json, route } from '../openapi.js';

export const syncProgress = route({
  method: 'get',
  path: '/syncs/{workflowId}',
  tags: ['Sync'],
  summary: 'One sync: running (progress per account) or done (the result)',
  request: { params: syncIdSchema },
  responses: {
    200: json(
      z.object({
        workflowId: z.string(),
        state: z.enum(['running', 'completed', 'failed']),
        accounts: z.array(anyObject),
        succeeded: z.number(),
        failed: z.number(),
        error: z.string().optional(),
      }),
      'The sync',
    ),
  },
  errors: [404],
});

export function registerSyncProgress(api: ApiApp, app: AppContext) {
  api.openapi(syncProgress, async (c) => c.json((await getSync(serviceContext(app, c), c.req.valid('param'))) as never, 200));
}
