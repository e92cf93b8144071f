// list_approvals: change requests of the workspace and their state, newest first (services/change-requests
// listChanges) — by default the ones waiting for a human.
import { z } from 'zod';
import { changeStatusSchema } from '../../../services/change-requests/change-requests.schema.js';
import { listChanges } from '../../../services/change-requests/read-changes.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { changeRequestResult, changeRequestResultSchema } from '../../shared/change-request.js';

export const listApprovalsTool = defineTool({
  name: 'list_approvals',
  title: 'Change requests and their approval state',
  description:
    'List change requests (budget changes, pauses, resumes) and their state, newest first — by default those waiting for an approver (PENDING_APPROVAL). Pass statuses to see others (e.g. BLOCKED, APPLIED, REJECTED). Each comes with its guardrail result and approval link. Approving is done by a person at that link, not by a tool.',
  input: z.object({
    status: z.array(changeStatusSchema).min(1).optional().describe('statuses to list (default: PENDING_APPROVAL)'),
    limit: z.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional().describe('the nextCursor of the previous page'),
  }),
  output: z.object({ items: z.array(changeRequestResultSchema), nextCursor: z.string().nullable() }),
  annotations: READ,
  async run(env, input) {
    const page = await listChanges(env.ctx, { status: input.status ?? ['PENDING_APPROVAL'], limit: input.limit, cursor: input.cursor });
    return { items: page.items.map((v) => changeRequestResult(v, env)), nextCursor: page.nextCursor };
  },
  summary: (o) => `${o.items.length} change request(s)${o.nextCursor ? ' (more: pass nextCursor as cursor)' : ''}.`,
});
