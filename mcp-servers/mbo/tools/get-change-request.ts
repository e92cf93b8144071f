// get_change_request: one change request with its state, guardrail result, decision and outcome
// (services/change-requests getChange).
import { changeRequestIdSchema } from '../../../services/change-requests/change-requests.schema.js';
import { getChange } from '../../../services/change-requests/read-changes.js';
import { defineTool } from '../../kit/tool.js';
import { READ } from '../../shared/annotations.js';
import { changeRequestResult, changeRequestResultSchema } from '../../shared/change-request.js';

export const getChangeRequestTool = defineTool({
  name: 'get_change_request',
  title: 'A change request',
  description:
    'Read one change request by id: its status (EVALUATING, BLOCKED, PENDING_APPROVAL, APPROVED, APPLYING, APPLIED, REJECTED, EXPIRED, …), items, guardrail result, who decided and the outcome. Use it to follow up on a request a write tool opened.',
  input: changeRequestIdSchema,
  output: changeRequestResultSchema,
  annotations: READ,
  run: async (env, input) => changeRequestResult(await getChange(env.ctx, input), env),
  summary: (o) => o.message,
});
