// Approvals from chat end to end (real Postgres, Temporal dev server, in-process worker and API app) against a
// loopback fake of the WhatsApp Business Cloud API and a loopback Slack-compatible webhook: an approver's number
// and another's Slack webhook are set as channels; a change request waiting for a decision sends the approved
// template with Approve/Reject quick replies (the approver has not written within WhatsApp's 24-hour window, which
// the fake enforces) and a Slack message with action links; a reply signed with the app secret approves it and the
// sandbox applies it. A forged signature, a stranger's number, an old reply and a replayed message are refused and
// change nothing. Once the approver has written, notices are interactive reply buttons; when Meta still answers
// 131047 the template goes instead. Requests opened by a rule and by a workspace plan notify too (their own
// workflow starts the notice). A short approval window brings the reminder on the same channels.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../api/env.js';
import { buttonReplyWebhook, FakeWhatsAppCloud } from '../../connectors/whatsapp/fake-server.js';
import { hubSignature } from '../../connectors/whatsapp/signature.js';
import { Client, InMemoryTransport } from '@modelcontextprotocol/client';
import { buildServer } from '../../mcp-servers/kit/server.js';
import { actorSession } from '../../mcp-servers/kit/session.js';
import { whatsappBusinessServer } from '../../mcp-servers/whatsapp-business/server.js';
import type { Person } from './api-harness.js';
import { memberContext } from './harness.js';
import type { AppContext } from '../../services/context.js';
import { apiSuite, type ApiWorld, call, expectProblem, footprint, scaled, statusIs, userOf } from './api-harness.js';
import { waitFor } from './harness.js';
import { addRule } from '../../services/rules/rules.js';
import { startSync } from '../../services/sync/sync.js';

const suite = apiSuite();
let ctx: AppContext;
let app: ApiApp;
let w: ApiWorld;
const cloud = new FakeWhatsAppCloud();
const APP_SECRET = randomBytes(16).toString('hex');
const VERIFY = `verify-${randomBytes(12).toString('hex')}`;
const PAUL = '+4915100000001';
const STRANGER = '4915199999999';
const slackPosts: { body: string }[] = [];
let slack: Server;
let approvedId: string;

beforeAll(async () => {
  ({ ctx, app, w } = suite);
  cloud.enforceWindow = true;
  await cloud.start();
  slack = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      slackPosts.push({ body });
      res.end('ok');
    });
  });
  await new Promise<void>((ok) => slack.listen(0, '127.0.0.1', ok));
});
afterAll(async () => {
  await cloud.stop();
  await new Promise((ok) => slack.close(ok));
});

const connectionBody = (extra: Record<string, unknown> = {}) => ({
  phoneNumberId: cloud.phoneNumberId,
  accessToken: cloud.accessToken,
  appSecret: APP_SECRET,
  verifyToken: VERIFY,
  apiBaseUrl: cloud.url,
  ...extra,
});
const post = (body: unknown, opts: { secret?: string; raw?: string } = {}) => {
  const raw = opts.raw ?? JSON.stringify(body);
  return call(app, 'POST', `/api/v1/whatsapp/webhook/${w.workspace}`, {
    raw,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': hubSignature(opts.secret ?? APP_SECRET, raw) },
  });
};
/** Messages sent to a number (with or without +) that are about a request (its id is in the buttons' payload). */
const sentTo = (to: string, requestId: string) => cloud.sent.filter((s) => s.to === to.replace(/^\+/, '') && JSON.stringify(s.message).includes(requestId));
/** A tap on a notice's button (the number wrote to the business: Meta opens its 24-hour window). */
const reply = (o: {
  from: string;
  requestId: string;
  decision?: 'approve' | 'reject';
  contextId?: string;
  timestamp?: number;
  messageId?: string;
  template?: boolean;
}) => {
  cloud.customerWrote(o.from);
  return buttonReplyWebhook({
    phoneNumberId: cloud.phoneNumberId,
    from: o.from,
    buttonId: `mbo:${o.decision ?? 'approve'}:${o.requestId}`,
    title: o.decision === 'reject' ? 'Reject' : 'Approve',
    contextId: o.contextId,
    timestamp: o.timestamp,
    messageId: o.messageId,
    template: o.template,
  });
};

describe('approvals from chat', () => {
  it('connects WhatsApp Business (admin only) and answers Meta’s verification challenge', async () => {
    const connection = connectionBody();
    expectProblem(await call(app, 'PUT', '/api/v1/whatsapp/connection', { key: w.keys.approver, body: connection }), 403, 'FORBIDDEN');
    const ok = await call(app, 'PUT', '/api/v1/whatsapp/connection', { key: w.keys.admin, body: connection });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.text).not.toContain(cloud.accessToken);
    expect(ok.text).not.toContain(APP_SECRET);
    expect(ok.body.webhookUrl).toMatch(new RegExp(`/api/v1/whatsapp/webhook/${w.workspace}$`));
    expect(ok.body.template).toEqual({ name: 'mbo_approval_request', language: 'en' }); // the default approval template
    expectProblem(
      await call(app, 'PUT', '/api/v1/whatsapp/connection', {
        key: w.keys.admin,
        body: { ...connection, template: { name: 'Budget Approval!', language: 'en' } },
      }),
      400,
      'INVALID_INPUT',
    );
    const q = (token: string) => `/api/v1/whatsapp/webhook/${w.workspace}?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1158201444`;
    const challenge = await call(app, 'GET', q(VERIFY));
    expect([challenge.status, challenge.text]).toEqual([200, '1158201444']);
    expectProblem(await call(app, 'GET', q('wrong-token-wrong-token')), 403, 'FORBIDDEN');
  });

  it('members set their own channels; a number held by another member is refused; an admin sets anyone’s', async () => {
    const mine = await call(app, 'PUT', '/api/v1/notification-channels', { key: w.keys.approver, body: { kind: 'whatsapp', address: '+49 151 0000 0001' } });
    expect(mine.status, mine.text).toBe(200);
    expect(mine.body).toMatchObject({ userId: userOf(w, 'approver'), kind: 'whatsapp', address: '+49…0001', enabled: true });
    expectProblem(
      await call(app, 'PUT', '/api/v1/notification-channels', { key: w.keys.approver2, body: { kind: 'whatsapp', address: PAUL } }),
      409,
      'CONFLICT',
    );
    expectProblem(
      await call(app, 'PUT', '/api/v1/notification-channels', {
        key: w.keys.analyst,
        body: { userId: userOf(w, 'approver2'), kind: 'slack', address: 'https://hooks.example.test/x' },
      }),
      403,
      'FORBIDDEN',
    );
    expectProblem(
      await call(app, 'PUT', '/api/v1/notification-channels', { key: w.keys.approver, body: { kind: 'whatsapp', address: '12345' } }),
      400,
      'INVALID_INPUT',
    );
    const slackUrl = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/services/T000/B000/secret`;
    const set = await call(app, 'PUT', '/api/v1/notification-channels', {
      key: w.keys.admin,
      body: { userId: userOf(w, 'approver2'), kind: 'slack', address: slackUrl },
    });
    expect(set.status, set.text).toBe(200);
    const all = await call(app, 'GET', '/api/v1/notification-channels', { key: w.keys.admin });
    expect(all.text).not.toContain('/secret');
    expect(all.body.map((c: { userId: string; kind: string }) => `${c.userId}:${c.kind}`).sort()).toEqual(
      [`${userOf(w, 'approver')}:whatsapp`, `${userOf(w, 'approver2')}:slack`].sort(),
    );
  });

  it('a pending request sends the approval template (the approver never wrote) and action links; forged, stranger, old and replayed replies are refused; a signed quick reply approves and it is applied', async () => {
    const campaign = w.campaigns[0]!;
    const created = await call(app, 'POST', '/api/v1/change-requests', {
      key: w.keys.analyst,
      body: { reason: 'chat approval test', items: [{ kind: 'budget', campaign: campaign.externalId, toBudget: scaled(campaign.dailyBudget, 1.1) }] },
    });
    expect(created.status, created.text).toBe(201);
    const id: string = created.body.id;
    approvedId = id;
    await statusIs(ctx, id, 'PENDING_APPROVAL');
    // Paul never wrote to the business: outside the 24-hour window only the approved template is delivered.
    const [notice] = await waitFor('the WhatsApp notice', async () => {
      const m = cloud.templatesSentTo(PAUL.slice(1));
      return m.length > 0 && m;
    });
    expect(notice).toMatchObject({ name: 'mbo_approval_request', language: 'en', payloads: [`mbo:approve:${id}`, `mbo:reject:${id}`] });
    expect(notice!.body).toHaveLength(5);
    expect(notice!.body[3]).toBe('chat approval test');
    expect(cloud.buttonsSentTo(PAUL.slice(1))).toEqual([]);
    expect(cloud.refused).toEqual([]); // sent as a template at once, not after a refusal
    const slackPost = await waitFor('the Slack notice', async () => slackPosts.find((p) => p.body.includes(id)));
    const blocks = JSON.parse(slackPost.body).blocks;
    expect(blocks[1].elements.map((e: { url: string }) => e.url)).toEqual([
      expect.stringMatching(new RegExp(`/approvals/${id}\\?decision=approve$`)),
      expect.stringMatching(/decision=reject$/),
    ]);
    const before = await footprint(ctx, w);

    // Forged: signed with another secret.
    expectProblem(
      await post(reply({ from: PAUL.slice(1), requestId: id, contextId: notice!.messageId, template: true }), { secret: 'not-the-app-secret' }),
      401,
      'UNAUTHENTICATED',
    );
    // A stranger's number, even answering the real notice.
    const stranger = await post(reply({ from: STRANGER, requestId: id, contextId: notice!.messageId, template: true }));
    expect(stranger.body.results).toMatchObject([{ outcome: 'refused', reason: expect.stringMatching(/not linked to a member/) }]);
    // An old reply (an hour ago).
    const old = await post(
      reply({ from: PAUL.slice(1), requestId: id, contextId: notice!.messageId, timestamp: Math.floor(Date.now() / 1000) - 3600, template: true }),
    );
    expect(old.body.results).toMatchObject([{ outcome: 'refused', reason: expect.stringMatching(/older than 5 minutes/) }]);
    // A reply that answers no notice MBO sent.
    const unprompted = await post(reply({ from: PAUL.slice(1), requestId: id, contextId: 'wamid.not-ours', template: true }));
    expect(unprompted.body.results).toMatchObject([{ outcome: 'refused', reason: expect.stringMatching(/does not answer a notice/) }]);
    expect(await footprint(ctx, w)).toEqual(before);
    expect((await ctx.prisma.changeRequest.findUnique({ where: { id } }))!.status).toBe('PENDING_APPROVAL');

    // The real reply: approved by Paul, through the decide use case, and applied on the sandbox.
    const body = reply({ from: PAUL.slice(1), requestId: id, contextId: notice!.messageId, template: true });
    const ok = await post(body);
    expect(ok.body.results, ok.text).toMatchObject([{ outcome: 'approved', requestId: id }]);
    const applied = await statusIs(ctx, id, 'APPLIED');
    expect(applied).toBeTruthy();
    const row = await ctx.prisma.changeRequest.findUnique({ where: { id } });
    expect(row!.decidedBy).toBe(userOf(w, 'approver'));
    expect(Number((await footprint(ctx, w)).sandbox_mutations)).toBe(Number(before.sandbox_mutations) + 1);
    // Replayed: the same delivery again.
    const replay = await post(body);
    expect(replay.body.results).toMatchObject([{ outcome: 'refused', reason: expect.stringMatching(/replay/) }]);
    // Paul got a confirmation; the stranger got nothing.
    expect(cloud.sent.some((s) => s.to === PAUL.slice(1) && s.message.type === 'text' && /Approved/.test(JSON.stringify(s.message)))).toBe(true);
    expect(cloud.sent.filter((s) => s.to === STRANGER)).toEqual([]);
    const notices = await call(app, 'GET', `/api/v1/approval-notices?requestId=${id}`, { key: w.keys.viewer });
    expect(notices.body.items.map((n: { channel: string; status: string }) => `${n.channel}:${n.status}`).sort()).toEqual(['slack:sent', 'whatsapp:sent']);
    const refused = await ctx.prisma.auditEvent.count({ where: { entityId: id, action: 'chat.decision_refused' } });
    expect(refused).toBe(4);
  });

  it('requests opened by a rule and by a workspace plan notify the approvers too (their own workflow starts the notice)', async () => {
    const admin = await memberContext(ctx, w.workspace, userOf(w, 'admin'), 'admin');
    const analyst = await memberContext(ctx, w.workspace, userOf(w, 'analyst'), 'analyst');
    await addRule(analyst, { name: 'trim tiktok', when: 'spend(7d) > 0', then: 'budget -10%', platforms: ['tiktok'], cooldownHours: 48 });
    // Thirty days of history (the plan fits response curves on it); the sync's rules evaluation opens the requests.
    const sync = await startSync(admin, { from: '2026-05-02', to: '2026-05-31' });
    await sync.handle.result();
    const rules = (await ctx.temporal()).workflow.getHandle(`${sync.workflowId}/rules`);
    await waitFor('rules workflow', async () => (await rules.describe().catch(() => undefined)) !== undefined, 30_000);
    const fired = (await rules.result()).changeRequests;
    expect(fired.length).toBeGreaterThan(0);
    const ruleRequest = await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: fired[0]! } });
    expect(ruleRequest).toMatchObject({ source: 'rule', requestedBy: 'rule:trim tiktok' });
    await statusIs(ctx, ruleRequest.id, 'PENDING_APPROVAL');
    await waitFor('the WhatsApp notice of the rule’s request', async () => sentTo(PAUL, ruleRequest.id).length > 0, 30_000);

    const res = await call(app, 'POST', '/api/v1/optimization-plans', { key: w.keys.analyst, body: { sync: false, risk: 0.2 } });
    expect(res.status, res.text).toBe(202);
    const out = await (await ctx.temporal()).workflow.getHandle(res.body.workflowId).result();
    const opened = (out.requests as { requestId?: string }[]).filter((r) => r.requestId);
    expect(opened.length, JSON.stringify(out.requests)).toBeGreaterThan(0);
    // (The google account's request may be blocked: an earlier test changed a campaign there today.)
    const settled = await waitFor('the plan’s requests evaluated', async () => {
      const rows = await ctx.prisma.changeRequest.findMany({ where: { id: { in: opened.map((r) => r.requestId!) } } });
      return rows.every((r) => r.status !== 'EVALUATING') && rows;
    });
    const planRequest = settled.find((r) => r.status === 'PENDING_APPROVAL')!;
    expect(planRequest, JSON.stringify(settled.map((r) => r.status))).toBeDefined();
    expect(planRequest.source).toBe('optimizer');
    await waitFor('the WhatsApp notice of the plan’s request', async () => sentTo(PAUL, planRequest.id).length > 0, 30_000);
    // Once each: the workflow started the notice under the request's one notice id.
    for (const id of [ruleRequest.id, planRequest.id]) {
      expect(sentTo(PAUL, id)).toHaveLength(1);
      expect(await ctx.prisma.approvalNotice.count({ where: { requestId: id, channel: 'whatsapp', kind: 'request', status: 'sent' } })).toBe(1);
    }
  }, 240_000);

  it('inside the 24-hour window notices are reply buttons; a 131047 from Meta sends the template instead; a window older than 24 h gets the template', async () => {
    const open = async (i: number, reason: string) => {
      const campaign = w.campaigns[i]!;
      const created = await call(app, 'POST', '/api/v1/change-requests', {
        key: w.keys.analyst,
        body: { reason, items: [{ kind: 'budget', campaign: campaign.externalId, toBudget: scaled(campaign.dailyBudget, 1.05) }] },
      });
      expect(created.status, created.text).toBe(201);
      await statusIs(ctx, created.body.id, 'PENDING_APPROVAL');
      const id: string = created.body.id;
      await waitFor(`the notice of ${reason}`, async () => (await ctx.prisma.approvalNotice.count({ where: { requestId: id, channel: 'whatsapp' } })) > 0);
      return id;
    };
    const paul = PAUL.slice(1);
    // Paul tapped a button earlier (the approval above): MBO recorded when he wrote; buttons go out.
    const identity = await ctx.prisma.chatIdentity.findFirstOrThrow({
      where: { workspaceId: w.workspaceId, channel: 'whatsapp', userId: userOf(w, 'approver') },
    });
    expect(Date.now() - identity.lastInboundAt!.getTime()).toBeLessThan(10 * 60_000);
    const inside = await open(2, 'inside the window');
    expect(cloud.buttonsSentTo(paul).filter((b) => b.buttons[0]!.id === `mbo:approve:${inside}`)).toHaveLength(1);
    expect(cloud.templatesSentTo(paul).filter((t) => t.payloads[0] === `mbo:approve:${inside}`)).toEqual([]);

    // Meta's clock says the window closed (MBO's record still says open): 131047, then the template.
    cloud.windowClosed(paul);
    const refusedBefore = cloud.refused.length;
    const fallback = await open(3, 'meta says closed');
    expect(cloud.refused.slice(refusedBefore)).toEqual([{ to: paul, code: 131047, type: 'interactive' }]);
    const [t] = cloud.templatesSentTo(paul).filter((x) => x.payloads[0] === `mbo:approve:${fallback}`);
    expect(t!.body[3]).toBe('meta says closed');
    const row = await ctx.prisma.approvalNotice.findFirstOrThrow({ where: { requestId: fallback, channel: 'whatsapp' } });
    expect(row).toMatchObject({ status: 'sent', externalId: t!.messageId }); // a quick reply to the template answers this notice

    // Paul's last message 25 hours ago: the template at once, no refused attempt.
    await ctx.prisma.chatIdentity.updateMany({
      where: { workspaceId: w.workspaceId, channel: 'whatsapp', userId: userOf(w, 'approver') },
      data: { lastInboundAt: new Date(Date.now() - 25 * 3_600_000) },
    });
    // …in the template the admin named for this workspace (approved in German in WhatsApp Manager).
    cloud.templates.set('mbo_budget_freigabe:de', { body: 5, quickReplies: 2 });
    const custom = await call(app, 'PUT', '/api/v1/whatsapp/connection', {
      key: w.keys.admin,
      body: connectionBody({ template: { name: 'mbo_budget_freigabe', language: 'de' } }),
    });
    expect(custom.body.template, custom.text).toEqual({ name: 'mbo_budget_freigabe', language: 'de' });
    const refusedNow = cloud.refused.length;
    const stale = await open(4, 'window long closed');
    expect(cloud.templatesSentTo(paul).filter((x) => x.payloads[0] === `mbo:approve:${stale}`)).toMatchObject([
      { name: 'mbo_budget_freigabe', language: 'de' },
    ]);
    expect(cloud.refused.length).toBe(refusedNow);
    // A quick reply to the template opens the window again (and decides: rejected here).
    const r = await post(reply({ from: paul, requestId: stale, decision: 'reject', contextId: cloud.templatesSentTo(paul).at(-1)!.messageId, template: true }));
    expect(r.body.results, r.text).toMatchObject([{ outcome: 'rejected', requestId: stale }]);
    const after = await ctx.prisma.chatIdentity.findFirstOrThrow({ where: { workspaceId: w.workspaceId, channel: 'whatsapp', userId: userOf(w, 'approver') } });
    expect(Date.now() - after.lastInboundAt!.getTime()).toBeLessThan(60_000);
  }, 120_000);

  it('reminds the approvers on the same channels before the request expires', async () => {
    // A 36-second approval window with the reminder 27 s before expiry (9 s after the request waits).
    const p = await call(app, 'PATCH', '/api/v1/guardrails', { key: w.keys.admin, body: { changes: { approvalTtlHours: 0.01, reminderBeforeHours: 0.0075 } } });
    expect(p.status, p.text).toBe(200);
    const campaign = w.campaigns[1]!;
    const created = await call(app, 'POST', '/api/v1/change-requests', {
      key: w.keys.analyst,
      body: { reason: 'reminder test', items: [{ kind: 'budget', campaign: campaign.externalId, toBudget: scaled(campaign.dailyBudget, 0.9) }] },
    });
    const id: string = created.body.id;
    await statusIs(ctx, id, 'PENDING_APPROVAL');
    const reminders = await waitFor(
      'the reminders',
      async () => {
        const rows = await ctx.prisma.approvalNotice.findMany({ where: { requestId: id, kind: 'reminder', status: 'sent' } });
        return rows.length === 2 && rows;
      },
      40_000,
    );
    expect(reminders.map((r) => r.channel).sort()).toEqual(['slack', 'whatsapp']);
    expect(cloud.sent.filter((s) => s.to === PAUL.slice(1) && JSON.stringify(s.message).includes(`mbo:approve:${id}`))).toHaveLength(2);
  }, 60_000);

  it('whatsapp-business-mcp: lists the notices sent, refuses a notice for a request that is no longer pending and a viewer’s send', async () => {
    const connect = async (p: Person, role: 'viewer' | 'analyst') => {
      const member = await memberContext(ctx, w.workspace, userOf(w, p), role, 'mcp');
      const server = buildServer(whatsappBusinessServer, actorSession(whatsappBusinessServer.name, ctx, member.actor));
      const [a, b] = InMemoryTransport.createLinkedPair();
      await server.connect(b);
      const client = new Client({ name: 'whatsapp-e2e', version: '1.0.0' });
      await client.connect(a);
      return client;
    };
    const client = await connect('analyst', 'analyst');
    const { tools } = await client.listTools();
    expect(tools.map((t) => [t.name, t.annotations?.readOnlyHint]).sort()).toEqual([
      ['list_approval_notices', true],
      ['list_notification_channels', true],
      ['send_approval_notice', false],
    ]);
    const listed = await client.callTool({ name: 'list_approval_notices', arguments: { requestId: approvedId } });
    expect((listed.structuredContent as { items: { channel: string }[] }).items.map((n) => n.channel).sort()).toEqual(['slack', 'whatsapp']);
    const late = await client.callTool({ name: 'send_approval_notice', arguments: { requestId: approvedId } });
    expect(late.isError).toBe(true);
    expect(JSON.stringify(late.content)).toMatch(/CONFLICT.*not waiting for a decision/);
    await client.close();
    const viewer = await connect('viewer', 'viewer');
    const refused = await viewer.callTool({ name: 'send_approval_notice', arguments: { requestId: approvedId } });
    expect(JSON.stringify(refused.content)).toMatch(/FORBIDDEN/);
    await viewer.close();
  });
});
