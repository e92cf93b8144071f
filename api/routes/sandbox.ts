// /api/v1/sandbox/advance: move the simulated ad platform's clock (analysts and above) — what `mbo sandbox
// advance` calls, so the CLI needs no database connection of its own.
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { advanceSandbox } from '../../services/sandbox/advance-sandbox.js';
import { advanceSandboxSchema } from '../../services/sandbox/sandbox.schema.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { body, json, route } from '../openapi.js';

export const advance = route({
  method: 'post',
  path: '/sandbox/advance',
  tags: ['Sandbox'],
  summary: "Simulate the sandbox's next N days from the budgets in force (analyst); sync afterwards to pull them",
  request: body(advanceSandboxSchema),
  responses: { 200: json(z.object({ accounts: z.array(z.object({ accountId: z.string(), today: z.string() })) }), 'Each sandbox account and its new today') },
  errors: [404, 422],
});

export function registerSandbox(api: ApiApp, app: AppContext) {
  api.openapi(advance, async (c) => c.json({ accounts: await advanceSandbox(serviceContext(app, c), c.req.valid('json')) }, 200));
}
