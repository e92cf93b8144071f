// /api/v1 actions that start workflows or change settings: syncs, rules, guardrails (optimization: optimization.ts).
import { z } from 'zod';
import type { AppContext } from '../../services/context.js';
import { getGuardrailsSchema, setGuardrailsSchema } from '../../services/guardrails/guardrails.schema.js';
import { getGuardrails, setGuardrails } from '../../services/guardrails/guardrails.js';
import { addRuleSchema, ruleChangesSchema, ruleView, testRulesSchema } from '../../services/rules/rules.schema.js';
import { addRule, deleteRule, getRule, listRules, setRuleEnabled, testRules, updateRule } from '../../services/rules/rules.js';
import { listSyncRunsSchema, startSyncSchema } from '../../services/sync/sync.schema.js';
import { listSyncRuns, startSync } from '../../services/sync/sync.js';
import { serviceContext } from '../auth.js';
import type { ApiApp } from '../env.js';
import { anyObject, body, json, page, route } from '../openapi.js';

const started = z.object({ workflowId: z.string(), url: z.string() }).catchall(z.unknown());
const ruleParam = z.object({ rule: z.string().min(1).max(200) });

export const syncStart = route({
  method: 'post',
  path: '/syncs',
  tags: ['Sync'],
  summary: 'Start a sync (analyst)',
  request: body(startSyncSchema),
  responses: { 202: json(started, 'Started') },
  errors: [404, 422],
});
export const syncRuns = route({
  method: 'get',
  path: '/syncs',
  tags: ['Sync'],
  summary: 'Stored account syncs, newest first',
  request: { query: listSyncRunsSchema },
  responses: { 200: json(page(anyObject), 'A page of runs') },
  errors: [404],
});
export const rules = route({ method: 'get', path: '/rules', tags: ['Rules'], summary: 'Rules', responses: { 200: json(z.array(ruleView), 'Rules') } });
export const ruleAdd = route({
  method: 'post',
  path: '/rules',
  tags: ['Rules'],
  summary: 'Add a rule (analyst); validated in full',
  request: body(addRuleSchema),
  responses: { 201: json(ruleView, 'The rule') },
  errors: [404, 409, 422],
});
export const ruleGet = route({
  method: 'get',
  path: '/rules/{rule}',
  tags: ['Rules'],
  summary: 'One rule by id or name',
  request: { params: ruleParam },
  responses: { 200: json(ruleView, 'The rule') },
  errors: [404],
});
export const ruleUpdate = route({
  method: 'patch',
  path: '/rules/{rule}',
  tags: ['Rules'],
  summary: 'Change a rule (analyst); `enabled` switches it on or off',
  request: { params: ruleParam, ...body(ruleChangesSchema.extend({ enabled: z.boolean().optional() })) },
  responses: { 200: json(ruleView, 'The rule') },
  errors: [404, 409, 422],
});
export const ruleDelete = route({
  method: 'delete',
  path: '/rules/{rule}',
  tags: ['Rules'],
  summary: 'Delete a rule (analyst; kept in the record)',
  request: { params: ruleParam },
  responses: { 204: { description: 'Deleted' } },
  errors: [404],
});
export const ruleTest = route({
  method: 'post',
  path: '/rules/dry-run',
  tags: ['Rules'],
  summary: 'What the rules would do now, and why (changes nothing)',
  request: body(testRulesSchema),
  responses: { 200: json(anyObject, 'The plan') },
  errors: [404],
});
export const guardrails = route({
  method: 'get',
  path: '/guardrails',
  tags: ['Guardrails'],
  summary: 'The effective policy of the workspace or an account, with where each setting comes from',
  request: { query: getGuardrailsSchema },
  responses: { 200: json(anyObject, 'The policy') },
  errors: [404],
});
export const guardrailsSet = route({
  method: 'patch',
  path: '/guardrails',
  tags: ['Guardrails'],
  summary: 'Change policy settings (admin); pending requests keep their snapshot',
  request: body(setGuardrailsSchema),
  responses: { 200: json(anyObject, 'The policy') },
  errors: [404, 409],
});

export function registerOperations(api: ApiApp, app: AppContext) {
  api.openapi(syncStart, async (c) => {
    const { handle: _h, ...r } = await startSync(serviceContext(app, c), c.req.valid('json'));
    return c.json(r, 202);
  });
  api.openapi(syncRuns, async (c) => c.json((await listSyncRuns(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(rules, async (c) => c.json(await listRules(serviceContext(app, c)), 200));
  api.openapi(ruleAdd, async (c) => c.json(await addRule(serviceContext(app, c), c.req.valid('json')), 201));
  api.openapi(ruleGet, async (c) => c.json(await getRule(serviceContext(app, c), c.req.valid('param')), 200));
  api.openapi(ruleUpdate, async (c) => {
    const ctx = serviceContext(app, c);
    const { enabled, ...changes } = c.req.valid('json');
    let rule = c.req.valid('param').rule;
    let out = Object.keys(changes).length ? await updateRule(ctx, { rule, changes }) : undefined;
    if (out) rule = out.id;
    if (enabled !== undefined) out = await setRuleEnabled(ctx, { rule, enabled });
    return c.json(out ?? (await getRule(ctx, { rule })), 200);
  });
  api.openapi(ruleDelete, async (c) => {
    await deleteRule(serviceContext(app, c), c.req.valid('param'));
    return c.body(null, 204);
  });
  api.openapi(ruleTest, async (c) => c.json((await testRules(serviceContext(app, c), c.req.valid('json'))) as never, 200));
  api.openapi(guardrails, async (c) => c.json((await getGuardrails(serviceContext(app, c), c.req.valid('query'))) as never, 200));
  api.openapi(guardrailsSet, async (c) => c.json((await setGuardrails(serviceContext(app, c), c.req.valid('json'))) as never, 200));
}
