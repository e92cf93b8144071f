// Bad input at the API door: malformed JSON, wrong content types, oversized bodies, impossible budgets, campaigns
// that are unknown or another workspace's, mis-signed or replayed webhooks, expired and revoked keys, a
// self-approval under four-eyes. Each gets a specific problem+json (its code, and a detail that names the field or
// the reason), and the store (requests, items, rules, guardrails, keys, members) and the sandbox platform's
// mutation count show that nothing changed.
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../api/app.js';
import type { ApiApp } from '../../api/env.js';
import type { AppContext } from '../../services/context.js';
import { type Answer, apiSuite, apiWorld, type ApiWorld, call, expectProblem, footprint, scaled, signed, statusIs, userOf } from './api-harness.js';
import { memberKey } from './harness.js';

const suite = apiSuite();
let ctx: AppContext;
let app: ApiApp;
let w: ApiWorld;
beforeAll(() => void ({ ctx, app, w } = suite));

/** Runs `send` and asserts its problem+json and that the workspace's rows and the sandbox's mutations did not move. */
async function refused(send: () => Promise<Answer>, status: number, code: string, detail: RegExp, field?: string): Promise<Answer> {
  const before = await footprint(ctx, w);
  const r = await send();
  expectProblem(r, status, code, detail);
  if (field)
    expect(
      r.body.errors?.map((e: { path: string }) => e.path),
      r.text,
    ).toContain(field);
  expect(await footprint(ctx, w)).toEqual(before);
  return r;
}

const CR = '/api/v1/change-requests';
const budget = (toBudget: unknown, campaign = w.campaigns[0]!.externalId) => ({ reason: 'bad input', items: [{ kind: 'budget', campaign, toBudget }] });
const post =
  (path: string, body: unknown, key = w.keys.analyst) =>
  () =>
    call(app, 'POST', path, { key, body });

describe('bodies that are not what the door takes', () => {
  it('malformed JSON is 400, other content types 415, a body over 1 MB 413', async () => {
    await refused(
      () => call(app, 'POST', CR, { key: w.keys.analyst, raw: '{"reason": "x", "items": [', headers: { 'content-type': 'application/json' } }),
      400,
      'INVALID_INPUT',
      /Malformed JSON/,
    );
    await refused(
      () => call(app, 'POST', CR, { key: w.keys.analyst, raw: JSON.stringify(budget('120.00')), headers: { 'content-type': 'text/plain' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /application\/json.*text\/plain/,
    );
    await refused(
      () => call(app, 'POST', CR, { key: w.keys.analyst, raw: 'reason=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /application\/json/,
    );
    await refused(
      () => call(app, 'POST', CR, { key: w.keys.analyst, raw: JSON.stringify(budget('120.00')) }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      /got "(nothing|text\/plain[^"]*)"/,
    );
    const huge = JSON.stringify({ ...budget('120.00'), reason: 'x'.repeat(MAX_BODY_BYTES + 10) });
    await refused(
      () => call(app, 'POST', CR, { key: w.keys.analyst, raw: huge, headers: { 'content-type': 'application/json' } }),
      413,
      'PAYLOAD_TOO_LARGE',
      /larger than 1024 KB/,
    );
    await refused(post('/api/v1/rules', { name: 'x'.repeat(300_000), when: 'spend(7d) > 1', then: 'alert' }), 400, 'INVALID_INPUT', /name/, 'name');
    await refused(post(CR, 'just a string'), 400, 'INVALID_INPUT', /expected object/);
    await refused(post(CR, [budget('120.00')]), 400, 'INVALID_INPUT', /expected object/);
    await refused(() => call(app, 'POST', CR, { key: w.keys.analyst }), 400, 'INVALID_INPUT', /reason|items/);
  });
});

describe('budgets MBO cannot take', () => {
  const cases: [string, unknown, RegExp][] = [
    ['negative', '-5', /not an amount/],
    ['zero', '0', /must be positive/],
    ['zero with cents', '0.00', /must be positive/],
    ['non-numeric', 'abc', /not an amount/],
    ['empty', '', /not an amount/],
    ['three decimals', '10.123', /more than two decimals/],
    ['1e14 as text', '1e14', /not an amount/],
    ['1e14 written out', '100000000000000', /larger than the largest daily budget \(999999999999\.99\)/],
    ['a number instead of text', 100, /expected string/],
    ['1e14 as a number', 1e14, /expected string/],
    ['hex', '0x10', /not an amount/],
    ['a comma', '1,5', /not an amount/],
  ];
  for (const [name, value, detail] of cases)
    it(`${name} (${JSON.stringify(value)}) is 400 naming items.0.toBudget`, async () => {
      const r = await refused(post(CR, budget(value)), 400, 'INVALID_INPUT', detail, 'items.0.toBudget');
      expect(r.body.detail).toMatch(/^items\.0\.toBudget: /);
    });

  it('other shapes: no items, too many, an unknown kind, no reason, the same campaign twice, the budget it already has', async () => {
    const c = w.campaigns[0]!;
    await refused(post(CR, { reason: 'x', items: [] }), 400, 'INVALID_INPUT', /at least one item/, 'items');
    await refused(
      post(CR, { reason: 'x', items: Array.from({ length: 201 }, () => ({ kind: 'pause', campaign: c.externalId })) }),
      400,
      'INVALID_INPUT',
      /at most 200 items/,
      'items',
    );
    await refused(post(CR, { reason: 'x', items: [{ kind: 'delete', campaign: c.externalId }] }), 400, 'INVALID_INPUT', /items\.0\.kind/, 'items.0.kind');
    await refused(post(CR, { items: [{ kind: 'pause', campaign: c.externalId }] }), 400, 'INVALID_INPUT', /reason/, 'reason');
    await refused(post(CR, { reason: '   ', items: [{ kind: 'pause', campaign: c.externalId }] }), 400, 'INVALID_INPUT', /a reason is required/, 'reason');
    await refused(
      post(CR, {
        reason: 'x',
        items: [
          { kind: 'pause', campaign: c.externalId },
          { kind: 'resume', campaign: c.id },
        ],
      }),
      422,
      'VALIDATION',
      new RegExp(`campaign ${c.externalId} appears twice`),
    );
    await refused(post(CR, budget(c.dailyBudget)), 422, 'VALIDATION', /already has a daily budget/);
    const meta = await ctx.prisma.campaign.findFirstOrThrow({ where: { account: { workspaceId: w.workspaceId, platform: 'meta' } } });
    await refused(
      post(CR, {
        reason: 'x',
        items: [
          { kind: 'pause', campaign: c.externalId },
          { kind: 'pause', campaign: meta.externalId },
        ],
      }),
      422,
      'VALIDATION',
      /one ad account/,
    );
  });
});

describe('campaigns that are not there', () => {
  it("unknown campaigns and another workspace's are the same 404, naming the campaign", async () => {
    await refused(post(CR, budget('120.00', 'cmp-does-not-exist')), 404, 'NOT_FOUND', /no campaign "cmp-does-not-exist"/);
    await refused(post(CR, budget('120.00', '00000000-0000-4000-8000-000000000000')), 404, 'NOT_FOUND', /no campaign "00000000-/);
    // Another workspace with a campaign of its own (stored directly: no sync needed).
    const b = await apiWorld(ctx, { sync: false });
    const other = await ctx.prisma.campaign.create({
      data: {
        accountId: b.accounts[0]!.id,
        externalId: `b-only-${b.workspaceId.slice(0, 8)}`,
        name: 'B campaign',
        status: 'ACTIVE',
        dailyBudget: '100',
        currency: 'EUR',
      },
    });
    const bBefore = await footprint(ctx, b);
    for (const ref of [other.id, other.externalId]) {
      const r = await refused(post(CR, budget('120.00', ref)), 404, 'NOT_FOUND', new RegExp(`no campaign "${ref}" in workspace "${w.workspace}"`));
      expect(r.text).not.toContain(b.workspace);
      await refused(() => call(app, 'GET', `/api/v1/campaigns/${ref}/metrics`, { key: w.keys.viewer }), 404, 'NOT_FOUND', /no campaign/);
    }
    expect(await footprint(ctx, b)).toEqual(bBefore);
  });
});

describe('credentials that do not hold', () => {
  it('expired and revoked keys, a malformed key, a key with the wrong secret: 401, and nothing is written', async () => {
    const expired = await memberKey(ctx, w.workspace, `old-${w.workspace.slice(3)}`, 'admin', new Date(Date.now() - 1000));
    await refused(post(CR, budget('120.00'), expired), 401, 'UNAUTHENTICATED', /expired on/);
    await refused(() => call(app, 'PATCH', '/api/v1/guardrails', { key: expired, body: { changes: { fourEyes: false } } }), 401, 'UNAUTHENTICATED', /expired/);
    const made = await call(app, 'POST', '/api/v1/api-keys', { key: w.keys.admin, body: { name: 'soon revoked' } });
    expect((await call(app, 'DELETE', `/api/v1/api-keys/${made.body.prefix}`, { key: w.keys.admin })).status).toBe(200);
    await refused(post('/api/v1/api-keys', { name: 'more' }, made.body.key), 401, 'UNAUTHENTICATED', /revoked/);
    await refused(
      () => call(app, 'PUT', `/api/v1/members/x-${w.workspace.slice(3)}`, { key: made.body.key, body: { role: 'admin' } }),
      401,
      'UNAUTHENTICATED',
      /revoked/,
    );
    await refused(post(CR, budget('120.00'), 'not-a-key'), 401, 'UNAUTHENTICATED', /not an MBO API key/);
    const forged = made.body.key.slice(0, 14) + 'A'.repeat(made.body.key.length - 14);
    await refused(post(CR, budget('120.00'), forged), 401, 'UNAUTHENTICATED', /unknown API key/);
    const tampered = w.keys.admin.slice(0, -1) + (w.keys.admin.endsWith('A') ? 'B' : 'A');
    await refused(
      () => call(app, 'PATCH', '/api/v1/guardrails', { key: tampered, body: { changes: { fourEyes: false } } }),
      401,
      'UNAUTHENTICATED',
      /unknown API key/,
    );
  });
});

describe('decisions that must not pass', () => {
  it('a self-approval under four-eyes is 409 and applies nothing; mis-signed and replayed webhooks are 401/409', async () => {
    const c = w.campaigns[1]!;
    const r = await call(app, 'POST', CR, { key: w.keys.approver, body: budget(scaled(c.dailyBudget, 1.2), c.externalId) });
    const id = r.body.id as string;
    await statusIs(ctx, id, 'PENDING_APPROVAL');
    await refused(
      post(`${CR}/${id}/decision`, { approve: true }, w.keys.approver),
      409,
      'CONFLICT',
      /four-eyes policy: the requester cannot approve their own request/,
    );

    const secret = (await call(app, 'POST', '/api/v1/webhooks/inbound-secret', { key: w.keys.admin })).body.secret as string;
    await call(app, 'PUT', '/api/v1/chat-identities', { key: w.keys.admin, body: { channel: 'slack', externalId: 'U-self', userId: userOf(w, 'approver') } });
    await call(app, 'PUT', '/api/v1/chat-identities', { key: w.keys.admin, body: { channel: 'slack', externalId: 'U-other', userId: userOf(w, 'approver2') } });
    const url = `/api/v1/webhooks/decisions/${w.workspace}`;
    const hook = (raw: string, headers: Record<string, string>) => () => call(app, 'POST', url, { raw, headers });
    const body = (user: string, decision = 'approve') => JSON.stringify({ requestId: id, decision, channel: 'slack', user });
    // The requester approving from chat is the same self-approval.
    const self = body('U-self');
    await refused(hook(self, signed(secret, self)), 409, 'CONFLICT', /four-eyes/);
    // A signature over another body, another secret, a future timestamp, a stale one, no signature at all.
    const other = body('U-other');
    const sig = signed(secret, other);
    await refused(hook(other.replace('approve', 'reject'), sig), 401, 'UNAUTHENTICATED', /bad signature/);
    await refused(hook(other, signed('whsec_not-the-secret', other)), 401, 'UNAUTHENTICATED', /bad signature/);
    await refused(hook(other, signed(secret, other, Math.floor(Date.now() / 1000) + 3600)), 401, 'UNAUTHENTICATED', /from the future/);
    await refused(hook(other, signed(secret, other, Math.floor(Date.now() / 1000) - 301)), 401, 'UNAUTHENTICATED', /older than 5 minutes/);
    await refused(hook(other, { ...sig, 'x-mbo-timestamp': 'yesterday' }), 401, 'UNAUTHENTICATED', /unix seconds/);
    await refused(hook(other, { 'content-type': 'application/json' }), 401, 'UNAUTHENTICATED', /X-MBO-Signature and X-MBO-Timestamp are required/);
    const garbage = '{"requestId": 12';
    await refused(hook(garbage, signed(secret, garbage)), 400, 'INVALID_INPUT', /not JSON/);
    const wrongShape = JSON.stringify({ requestId: 'nope', decision: 'maybe', channel: 'slack', user: 'U-other' });
    await refused(hook(wrongShape, signed(secret, wrongShape)), 400, 'INVALID_INPUT', /requestId|decision/);
    expect((await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status).toBe('PENDING_APPROVAL');

    // The genuine message is accepted once (a rejection here, so nothing reaches the platform) — its replay is 409.
    const reject = body('U-other', 'reject');
    const headers = signed(secret, reject);
    expect((await call(app, 'POST', url, { raw: reject, headers })).status).toBe(200);
    await statusIs(ctx, id, 'REJECTED');
    await refused(hook(reject, headers), 409, 'CONFLICT', /already received/);
  });
});

describe('settings that are not valid', () => {
  it('guardrails, rules, members, keys and webhooks refuse values out of range, naming the field', async () => {
    const admin = (method: string, path: string, body: unknown) => () => call(app, method, path, { key: w.keys.admin, body });
    await refused(
      admin('PATCH', '/api/v1/guardrails', { changes: { maxChangePct: -1 } }),
      400,
      'INVALID_INPUT',
      /changes\.maxChangePct/,
      'changes.maxChangePct',
    );
    await refused(admin('PATCH', '/api/v1/guardrails', { changes: { minBudget: '1e3' } }), 400, 'INVALID_INPUT', /changes\.minBudget/, 'changes.minBudget');
    await refused(admin('PATCH', '/api/v1/guardrails', { changes: { fourEyes: 'no' } }), 400, 'INVALID_INPUT', /changes\.fourEyes/, 'changes.fourEyes');
    await refused(admin('PATCH', '/api/v1/guardrails', { changes: { blackouts: [{ from: '25:00', to: '06:00' }] } }), 400, 'INVALID_INPUT', /blackouts/);
    await refused(admin('POST', '/api/v1/rules', { name: 'r', when: 'spend(7d) >', then: 'alert' }), 422, 'VALIDATION', /./);
    await refused(admin('POST', '/api/v1/rules', { name: 'r', when: 'spend(7d) > 1', then: 'budget -500%' }), 422, 'VALIDATION', /./);
    await refused(
      admin('POST', '/api/v1/rules', { name: 'r', when: 'spend(7d) > 1', then: 'alert', cooldownHours: -1 }),
      400,
      'INVALID_INPUT',
      /cooldownHours/,
      'cooldownHours',
    );
    await refused(admin('PUT', `/api/v1/members/${userOf(w, 'viewer')}`, { role: 'owner' }), 400, 'INVALID_INPUT', /role/, 'role');
    await refused(admin('PUT', '/api/v1/members/has%20space', { role: 'viewer' }), 400, 'INVALID_INPUT', /userId/, 'userId');
    await refused(admin('POST', '/api/v1/api-keys', { name: 'k', expiresInDays: 0 }), 400, 'INVALID_INPUT', /expiresInDays/, 'expiresInDays');
    await refused(admin('POST', '/api/v1/api-keys', { name: 'k', expiresInDays: 1.5 }), 400, 'INVALID_INPUT', /expiresInDays/, 'expiresInDays');
    await refused(admin('POST', '/api/v1/webhooks', { url: 'javascript:alert(1)' }), 400, 'INVALID_INPUT', /url/, 'url');
    await refused(admin('POST', '/api/v1/webhooks', { url: 'https://x.example.com', events: ['everything'] }), 400, 'INVALID_INPUT', /events/);
    await refused(() => call(app, 'GET', '/api/v1/campaigns?limit=0', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /limit/, 'limit');
    await refused(() => call(app, 'GET', '/api/v1/campaigns?limit=1e9', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /limit/, 'limit');
    await refused(() => call(app, 'GET', '/api/v1/metrics/platforms?from=2026-02-30', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /from/, 'from');
    await refused(() => call(app, 'GET', '/api/v1/audit-events?since=yesterday', { key: w.keys.viewer }), 400, 'INVALID_INPUT', /since/, 'since');
  });
});
