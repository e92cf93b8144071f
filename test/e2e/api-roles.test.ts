// Who may do what through the API: every write route × every role (viewer reads; analyst requests changes, runs
// optimizations and syncs, manages rules, acknowledges alerts; approver decides; admin changes guardrails,
// members, API keys and webhooks) — refusals are 403 problem+json and change nothing; four-eyes holds for admins
// and survives a policy change; a removed member's key is 401; a key of one workspace finds nothing of another.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import type { Role } from '../../services/actor.js';
import type { AppContext } from '../../services/context.js';
import { apiSuite, apiWorld, type ApiWorld, call, expectProblem, footprint, type Person, scaled, statusIs, userOf } from './api-harness.js';
import { memberKey } from './harness.js';

const suite = apiSuite();
let ctx: AppContext;
let app: ApiApp;
let w: ApiWorld;
beforeAll(() => void ({ ctx, app, w } = suite));

const ROLES: Role[] = ['viewer', 'analyst', 'approver', 'admin'];
const ABOVE = (r: Role) => ROLES.slice(ROLES.indexOf(r));
type Req = { method: string; path: string; body?: unknown };
let n = 0;
const uniq = () => `${++n}-${w.workspace.slice(3)}`;

/** A pending change request of the analyst (to be decided). */
async function pendingRequest(factor = 1.1): Promise<string> {
  const c = w.campaigns[n++ % w.campaigns.length]!;
  const r = await call(app, 'POST', '/api/v1/change-requests', {
    key: w.keys.analyst,
    body: { reason: 'matrix', items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, factor) }] },
  });
  expect(r.status, r.text).toBe(201);
  await statusIs(ctx, r.body.id, 'PENDING_APPROVAL');
  return r.body.id;
}
const asAdmin = async (method: string, path: string, body?: unknown) => {
  const r = await call(app, method, path, { key: w.keys.admin, body });
  expect(r.status, r.text).toBeLessThan(300);
  return r.body;
};

/** Every write route: the lowest role allowed, the success status, and a fresh valid request for one attempt. */
const WRITES: { route: string; min: Role; ok: number; make: () => Promise<Req> }[] = [
  {
    route: 'POST /change-requests',
    min: 'analyst',
    ok: 201,
    make: async () => {
      const c = w.campaigns[n++ % w.campaigns.length]!;
      return {
        method: 'POST',
        path: '/api/v1/change-requests',
        body: { reason: 'matrix', items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.05) }] },
      };
    },
  },
  {
    route: 'POST /change-requests/{id}/decision',
    min: 'approver',
    ok: 200,
    make: async () => ({ method: 'POST', path: `/api/v1/change-requests/${await pendingRequest()}/decision`, body: { approve: false } }),
  },
  {
    route: 'POST /syncs',
    min: 'analyst',
    ok: 202,
    make: async () => ({
      method: 'POST',
      path: '/api/v1/syncs',
      body: { accounts: [w.campaigns[0]!.accountExternalId], from: '2026-05-31', to: '2026-05-31' },
    }),
  },
  {
    route: 'POST /optimization-runs',
    min: 'analyst',
    ok: 202,
    make: async () => ({ method: 'POST', path: '/api/v1/optimization-runs', body: { account: w.campaigns[0]!.accountExternalId, dryRun: true, sync: false } }),
  },
  {
    route: 'PUT /optimization-schedules',
    min: 'analyst',
    ok: 200,
    make: async () => ({ method: 'PUT', path: '/api/v1/optimization-schedules', body: { account: w.campaigns[0]!.accountExternalId, hour: 5, dryRun: true } }),
  },
  {
    route: 'DELETE /optimization-schedules/{account}',
    min: 'analyst',
    ok: 200,
    make: async () => ({ method: 'DELETE', path: `/api/v1/optimization-schedules/${w.campaigns[0]!.accountExternalId}` }),
  },
  {
    route: 'POST /rules',
    min: 'analyst',
    ok: 201,
    make: async () => ({ method: 'POST', path: '/api/v1/rules', body: { name: `rule ${uniq()}`, when: 'spend(7d) > 100', then: 'alert' } }),
  },
  {
    route: 'PATCH /rules/{rule}',
    min: 'analyst',
    ok: 200,
    make: async () => ({
      method: 'PATCH',
      path: `/api/v1/rules/${(await asAdmin('POST', '/api/v1/rules', { name: `rule ${uniq()}`, when: 'spend(7d) > 100', then: 'alert' })).id}`,
      body: { enabled: false },
    }),
  },
  {
    route: 'DELETE /rules/{rule}',
    min: 'analyst',
    ok: 204,
    make: async () => ({
      method: 'DELETE',
      path: `/api/v1/rules/${(await asAdmin('POST', '/api/v1/rules', { name: `rule ${uniq()}`, when: 'spend(7d) > 100', then: 'alert' })).id}`,
    }),
  },
  {
    route: 'POST /alerts/{id}/acknowledge',
    min: 'analyst',
    ok: 200,
    make: async () => {
      const a = await ctx.prisma.alert.create({
        data: { workspaceId: w.workspaceId, kind: 'test', severity: 'info', message: 'm', dedupKey: uniq(), entityType: 'workspace', entityId: w.workspaceId },
      });
      return { method: 'POST', path: `/api/v1/alerts/${a.id}/acknowledge` };
    },
  },
  {
    route: 'POST /alerts/{id}/resolve',
    min: 'analyst',
    ok: 200,
    make: async () => {
      const a = await ctx.prisma.alert.create({
        data: { workspaceId: w.workspaceId, kind: 'test', severity: 'info', message: 'm', dedupKey: uniq(), entityType: 'workspace', entityId: w.workspaceId },
      });
      return { method: 'POST', path: `/api/v1/alerts/${a.id}/resolve`, body: { note: 'dealt with' } };
    },
  },
  {
    route: 'PATCH /guardrails',
    min: 'admin',
    ok: 200,
    make: async () => ({ method: 'PATCH', path: '/api/v1/guardrails', body: { changes: { maxChangesPerDay: 1000 + n++ } } }),
  },
  {
    route: 'PUT /members/{userId}',
    min: 'admin',
    ok: 200,
    make: async () => ({ method: 'PUT', path: `/api/v1/members/new-${uniq()}`, body: { role: 'viewer' } }),
  },
  {
    route: 'DELETE /members/{userId}',
    min: 'admin',
    ok: 204,
    make: async () => ({ method: 'DELETE', path: `/api/v1/members/${(await asAdmin('PUT', `/api/v1/members/gone-${uniq()}`, { role: 'viewer' })).userId}` }),
  },
  { route: 'POST /api-keys', min: 'admin', ok: 201, make: async () => ({ method: 'POST', path: '/api/v1/api-keys', body: { name: `key ${uniq()}` } }) },
  {
    route: 'DELETE /api-keys/{prefix}',
    min: 'admin',
    ok: 200,
    make: async () => ({ method: 'DELETE', path: `/api/v1/api-keys/${(await asAdmin('POST', '/api/v1/api-keys', { name: `key ${uniq()}` })).prefix}` }),
  },
  {
    route: 'POST /webhooks',
    min: 'admin',
    ok: 201,
    make: async () => ({ method: 'POST', path: '/api/v1/webhooks', body: { url: `http://127.0.0.1:9/hooks/${uniq()}` } }),
  },
  {
    route: 'POST /webhooks/{id}/test',
    min: 'admin',
    ok: 200,
    make: async () => ({
      method: 'POST',
      path: `/api/v1/webhooks/${(await asAdmin('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:9/hooks/${uniq()}` })).id}/test`,
    }),
  },
  {
    route: 'DELETE /webhooks/{id}',
    min: 'admin',
    ok: 204,
    make: async () => ({
      method: 'DELETE',
      path: `/api/v1/webhooks/${(await asAdmin('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:9/hooks/${uniq()}` })).id}`,
    }),
  },
  {
    route: 'PUT /chat-identities',
    min: 'admin',
    ok: 200,
    make: async () => ({ method: 'PUT', path: '/api/v1/chat-identities', body: { channel: 'slack', externalId: `U${uniq()}`, userId: userOf(w, 'approver') } }),
  },
  { route: 'POST /webhooks/inbound-secret', min: 'admin', ok: 201, make: async () => ({ method: 'POST', path: '/api/v1/webhooks/inbound-secret' }) },
  {
    route: 'PUT /me/password',
    min: 'viewer',
    ok: 204,
    make: async () => ({ method: 'PUT', path: '/api/v1/me/password', body: { newPassword: `a long password ${uniq()}` } }),
  },
];

/** Reads: every member reads the workspace; the key and webhook lists are admins'. */
const READS: { path: string; min: Role }[] = [
  ...[
    '/api/v1/me',
    '/api/v1/status',
    '/api/v1/accounts',
    '/api/v1/campaigns',
    '/api/v1/metrics/platforms',
    '/api/v1/change-requests',
    '/api/v1/syncs',
    '/api/v1/optimization-runs',
    '/api/v1/rules',
    '/api/v1/alerts',
    '/api/v1/audit-events',
    '/api/v1/guardrails',
    '/api/v1/members',
  ].map((path) => ({ path, min: 'viewer' as Role })),
  { path: '/api/v1/api-keys', min: 'admin' },
  { path: '/api/v1/webhooks', min: 'admin' },
];

describe('role matrix', () => {
  for (const wr of WRITES)
    it(`${wr.route}: only ${ABOVE(wr.min).join(', ')}`, async () => {
      for (const role of ROLES) {
        const req = await wr.make();
        const before = await footprint(ctx, w);
        const r = await call(app, req.method, req.path, { key: w.keys[role as Person], body: req.body });
        if (ABOVE(wr.min).includes(role)) expect(r.status, `${role}: ${r.text}`).toBe(wr.ok);
        else {
          expectProblem(r, 403, 'FORBIDDEN', new RegExp(`is an? ${role}.*only ${wr.min}s may`));
          expect(await footprint(ctx, w), `${role} changed nothing`).toEqual(before);
        }
      }
    });

  it('reads: every member reads the workspace; only admins list keys and webhooks', async () => {
    for (const rd of READS)
      for (const role of ROLES) {
        const r = await call(app, 'GET', rd.path, { key: w.keys[role as Person] });
        if (ABOVE(rd.min).includes(role)) expect(r.status, `${role} GET ${rd.path}: ${r.text}`).toBe(200);
        else expectProblem(r, 403, 'FORBIDDEN');
      }
  });

  it('an analyst cannot change guardrails, members or keys, nor approve — and the refusal says why', async () => {
    const before = await footprint(ctx, w);
    const id = await pendingRequest(1.2);
    const afterRequest = await footprint(ctx, w);
    expectProblem(
      await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.analyst, body: { changes: { fourEyes: false } } }),
      403,
      'FORBIDDEN',
      /only admins may change guardrails/,
    );
    expectProblem(
      await call(app, 'PUT', `/api/v1/members/${userOf(w, 'analyst')}`, { key: w.keys.analyst, body: { role: 'admin' } }),
      403,
      'FORBIDDEN',
      /only admins/,
    );
    expectProblem(await call(app, 'POST', '/api/v1/api-keys', { key: w.keys.analyst, body: { name: 'mine' } }), 403, 'FORBIDDEN', /only admins/);
    expectProblem(
      await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.analyst, body: { approve: true } }),
      403,
      'FORBIDDEN',
      /only approvers may approve/,
    );
    expect(await footprint(ctx, w)).toEqual(afterRequest);
    expect(Number(afterRequest.change_request)).toBe(Number(before.change_request) + 1);
    const refused = await ctx.prisma.auditEvent.findMany({ where: { entityId: id, action: 'change_request.decision_refused' } });
    expect(refused.map((e) => e.actor)).toEqual([userOf(w, 'analyst')]);
    await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.approver, body: { approve: false } });
  });

  it('four-eyes: the requester cannot approve their own request, even as admin, even after four-eyes is switched off', async () => {
    const c = w.campaigns[0]!;
    const mk = async () => {
      const r = await call(app, 'POST', '/api/v1/change-requests', {
        key: w.keys.admin,
        body: { reason: 'own', items: [{ kind: 'budget', campaign: c.externalId, toBudget: scaled(c.dailyBudget, 1.3) }] },
      });
      await statusIs(ctx, r.body.id, 'PENDING_APPROVAL');
      return r.body.id as string;
    };
    const id = await mk();
    const mutations = await w.sandbox.mutationCount(c.accountExternalId);
    expectProblem(
      await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.admin, body: { approve: true } }),
      409,
      'CONFLICT',
      /four-eyes/,
    );
    // The pending request keeps the policy it was made under.
    expect((await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin2, body: { changes: { fourEyes: false } } })).status).toBe(200);
    expectProblem(
      await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.admin, body: { approve: true } }),
      409,
      'CONFLICT',
      /four-eyes/,
    );
    expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING_APPROVAL');
    expect(await w.sandbox.mutationCount(c.accountExternalId)).toBe(mutations);
    // Another admin may decide it.
    expect((await call(app, 'POST', `/api/v1/change-requests/${id}/decision`, { key: w.keys.admin2, body: { approve: false } })).status).toBe(200);
    expect((await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin2, body: { changes: { fourEyes: true } } })).status).toBe(200);
  });

  it("a removed member's key is 401 — removed through the API (keys revoked) or with the membership gone", async () => {
    const user = `leaver-${uniq()}`;
    const key = await memberKey(ctx, w.workspace, user, 'approver');
    expect((await call(app, 'GET', '/api/v1/me', { key })).status).toBe(200);
    expect((await call(app, 'DELETE', `/api/v1/members/${user}`, { key: w.keys.admin })).status).toBe(204);
    expectProblem(await call(app, 'GET', '/api/v1/me', { key }), 401, 'UNAUTHENTICATED', /revoked/);

    const other = `ghost-${uniq()}`;
    const ghostKey = await memberKey(ctx, w.workspace, other, 'admin');
    await ctx.prisma.member.deleteMany({ where: { workspaceId: w.workspaceId, userId: other } });
    expectProblem(await call(app, 'GET', '/api/v1/campaigns', { key: ghostKey }), 401, 'UNAUTHENTICATED', /no longer a member/);
    expectProblem(await call(app, 'PATCH', '/api/v1/guardrails', { key: ghostKey, body: { changes: { fourEyes: false } } }), 401, 'UNAUTHENTICATED');
  });
});

describe('workspaces are sealed from each other', () => {
  it('a key of workspace A finds nothing of workspace B, by guessed or listed ids, and changes nothing there', async () => {
    const b = await apiWorld(ctx);
    const bAdmin = (method: string, path: string, body?: unknown) => call(app, method, path, { key: b.keys.admin, body });
    const bc = b.campaigns[0]!;
    const req = await call(app, 'POST', '/api/v1/change-requests', {
      key: b.keys.analyst,
      body: { reason: 'B only', items: [{ kind: 'budget', campaign: bc.externalId, toBudget: scaled(bc.dailyBudget, 1.1) }] },
    });
    await statusIs(ctx, req.body.id, 'PENDING_APPROVAL');
    const rule = (await bAdmin('POST', '/api/v1/rules', { name: `B rule ${b.workspace}`, when: 'spend(7d) > 1', then: 'alert' })).body;
    const hook = (await bAdmin('POST', '/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks/b' })).body;
    const key = (await bAdmin('POST', '/api/v1/api-keys', { name: 'B key' })).body;
    const alert = await ctx.prisma.alert.create({
      data: {
        workspaceId: b.workspaceId,
        kind: 'test',
        severity: 'critical',
        message: 'B alert',
        dedupKey: 'b',
        entityType: 'workspace',
        entityId: b.workspaceId,
      },
    });
    const opt = (await bAdmin('POST', '/api/v1/optimization-runs', { account: bc.accountExternalId, dryRun: true, sync: false })).body;
    await (await ctx.temporal()).workflow.getHandle(opt.workflowId).result();
    const run = (await bAdmin('GET', '/api/v1/optimization-runs')).body.items[0];
    const bAccount = b.accounts[0]!;
    const bUser = userOf(b, 'approver');
    const secrets = [
      b.workspace,
      b.workspaceId,
      req.body.id,
      rule.id,
      hook.id,
      key.prefix,
      alert.id,
      run.id,
      bc.id,
      bc.externalId,
      bAccount.id,
      bAccount.externalId,
      bUser,
    ];
    const before = await footprint(ctx, b);

    // Listed: A's lists hold none of B's rows.
    for (const path of [
      '/api/v1/status',
      '/api/v1/accounts',
      '/api/v1/campaigns?limit=500',
      '/api/v1/metrics/platforms',
      '/api/v1/change-requests?limit=500',
      '/api/v1/syncs?limit=500',
      '/api/v1/optimization-runs?limit=500',
      '/api/v1/rules',
      '/api/v1/alerts?limit=500',
      '/api/v1/audit-events?limit=500',
      `/api/v1/audit-events?entityId=${req.body.id}`,
      `/api/v1/audit-events?actor=${bUser}`,
      '/api/v1/members',
      '/api/v1/api-keys',
      '/api/v1/webhooks',
      '/api/v1/guardrails',
    ]) {
      const r = await call(app, 'GET', path, { key: w.keys.admin });
      expect(r.status, `${path}: ${r.text}`).toBe(200);
      for (const s of secrets) expect(r.text, `${path} shows ${s}`).not.toContain(s);
    }
    const audit = await call(app, 'GET', `/api/v1/audit-events?entityId=${req.body.id}`, { key: w.keys.admin });
    expect(audit.body.items).toEqual([]);

    // Guessed: B's ids in A's paths, filters and bodies are simply not found.
    const A = (method: string, path: string, body?: unknown) => call(app, method, path, { key: w.keys.admin, body });
    for (const [method, path, body] of [
      ['GET', `/api/v1/change-requests/${req.body.id}`],
      ['GET', `/api/v1/change-requests/${req.body.id}/events?timeoutSeconds=1`],
      ['POST', `/api/v1/change-requests/${req.body.id}/decision`, { approve: true }],
      ['POST', '/api/v1/change-requests', { reason: 'x', items: [{ kind: 'pause', campaign: bc.id }] }],
      ['POST', '/api/v1/change-requests', { reason: 'x', items: [{ kind: 'pause', campaign: bc.externalId }] }],
      ['GET', `/api/v1/campaigns/${bc.id}/metrics`],
      ['GET', `/api/v1/campaigns/${bc.externalId}/metrics`],
      ['GET', `/api/v1/campaigns?account=${bAccount.id}`],
      ['GET', `/api/v1/syncs?account=${bAccount.externalId}`],
      ['POST', '/api/v1/syncs', { accounts: [bAccount.id] }],
      ['GET', `/api/v1/optimization-runs/${run.id}`],
      ['GET', `/api/v1/optimization-runs?account=${bAccount.id}`],
      ['POST', '/api/v1/optimization-runs', { account: bAccount.externalId, dryRun: true, sync: false }],
      ['GET', `/api/v1/rules/${rule.id}`],
      ['GET', `/api/v1/rules/${encodeURIComponent(rule.name)}`],
      ['PATCH', `/api/v1/rules/${rule.id}`, { enabled: false }],
      ['DELETE', `/api/v1/rules/${rule.id}`],
      ['POST', '/api/v1/rules/dry-run', { rule: rule.id }],
      ['POST', `/api/v1/alerts/${alert.id}/acknowledge`],
      ['GET', `/api/v1/guardrails?account=${bAccount.id}`],
      ['PATCH', '/api/v1/guardrails', { account: bAccount.externalId, changes: { fourEyes: false } }],
      ['DELETE', `/api/v1/members/${bUser}`],
      ['POST', '/api/v1/api-keys', { name: 'steal', userId: bUser }],
      ['DELETE', `/api/v1/api-keys/${key.prefix}`],
      ['DELETE', `/api/v1/webhooks/${hook.id}`],
      ['PUT', '/api/v1/chat-identities', { channel: 'slack', externalId: 'U-steal', userId: bUser }],
    ] as [string, string, unknown?][]) {
      const r = await A(method, path, body);
      expectProblem(r, 404, 'NOT_FOUND');
      for (const s of secrets.filter((x) => !path.includes(x) && !JSON.stringify(body ?? '').includes(x))) expect(r.text).not.toContain(s);
    }
    expect(await footprint(ctx, b)).toEqual(before);
    expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: req.body.id } })).status).toBe('PENDING_APPROVAL');
    expect((await ctx.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).acknowledgedAt).toBeNull();
    expect((await ctx.prisma.rule.findUniqueOrThrow({ where: { id: rule.id } })).enabled).toBe(true);
  });
});
