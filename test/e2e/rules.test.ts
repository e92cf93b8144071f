// Rules after sync: a dry run changes nothing; after a real sync the RulesWorkflow opens change requests (that
// wait for approval) and alerts, delivers alerts to a webhook that fails twice before answering, and a second
// sync respects the cooldown and de-duplicates alerts.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { addRule, testRules } from '../../services/rules/rules.js';
import { startSync } from '../../services/sync/sync.js';
import type { RulesResult } from '../../workflows/rules.js';
import { isolatedSandbox, memberContext, startInProcessWorker, testContext, waitFor } from './harness.js';

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };
let server: Server;
const received: { text: string; blocks: unknown[] }[] = [];
let answered = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      answered++;
      if (answered <= 2) {
        res.writeHead(503).end('try later');
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  ctx = await testContext({ MBO_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mbo` });
  worker = await startInProcessWorker(ctx);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
  server?.close();
});

async function syncAndRules(workspace: string): Promise<RulesResult> {
  const s = await startSync(await memberContext(ctx, workspace, 'ana', 'analyst'), { from: '2026-05-18', to: '2026-05-31' });
  await s.handle.result();
  const rules = (await ctx.temporal()).workflow.getHandle(`${s.workflowId}/rules`);
  await waitFor('rules workflow', async () => (await rules.describe().catch(() => undefined)) !== undefined, 30_000);
  return rules.result();
}

describe('rules and alerts', () => {
  it('dry-runs, then acts after sync through the approval path, alerts by webhook with retries, and respects cooldowns', async () => {
    const { workspace, accounts } = await isolatedSandbox(ctx);
    const ws = await ctx.prisma.workspace.findUniqueOrThrow({ where: { slug: workspace } });
    await ctx.prisma.appUser.upsert({ where: { id: 'paul' }, create: { id: 'paul', displayName: 'paul' }, update: {} }); // members are users
    await ctx.prisma.member.create({ data: { workspaceId: ws.id, userId: 'paul', role: 'approver' } });
    const ana = await memberContext(ctx, workspace, 'ana', 'analyst'); // the rules' author
    await addRule(ana, { name: 'watch google', when: 'spend(7d) > 0', then: 'alert', platforms: ['google_ads'] });
    await addRule(ana, {
      name: 'trim meta',
      when: 'spend(7d) > 0 and roas(7d) < 1000',
      then: 'budget -10%',
      platforms: ['meta'],
      cooldownHours: 48,
    });
    await expect(addRule(ana, { name: 'bad', when: 'cpm(7d) > 1', then: 'pause' })).rejects.toThrow(/unknown metric "cpm"/);

    // Before any data nothing fires; a first sync brings the data and the RulesWorkflow.
    expect((await testRules(ana, {})).firings).toEqual([]);
    const first = await syncAndRules(workspace);
    const meta = accounts.find((a) => a.platform === 'meta')!;
    const activeMeta = await ctx.prisma.campaign.count({ where: { accountId: meta.id, status: 'ACTIVE' } });
    expect(first.changeRequests).toHaveLength(activeMeta);
    const requests = await ctx.prisma.changeRequest.findMany({ where: { id: { in: first.changeRequests } } });
    expect(requests.every((r) => r.source === 'rule' && r.requestedBy === 'rule:trim meta' && r.reason.includes('ROAS over 7 days'))).toBe(true);
    await waitFor(
      'pending approvals',
      async () => (await ctx.prisma.changeRequest.count({ where: { id: { in: first.changeRequests }, status: 'PENDING_APPROVAL' } })) === activeMeta,
      30_000,
    );

    // Alerts: five google campaigns; the webhook failed twice, Temporal retried, all delivered once.
    const ruleAlerts = await ctx.prisma.alert.findMany({ where: { workspaceId: ws.id, kind: 'rule' } });
    expect(ruleAlerts).toHaveLength(5);
    expect(first.undelivered).toBe(0);
    expect(ruleAlerts.every((a) => a.deliveredAt)).toBe(true);
    const allAlerts = await ctx.prisma.alert.findMany({ where: { workspaceId: ws.id } });
    expect(allAlerts.every((a) => a.deliveredAt)).toBe(true);
    expect(allAlerts.reduce((s, a) => s + a.attempts, 0)).toBe(allAlerts.length + 2); // the two 503s were retried
    expect(received.filter((b) => b.text.includes('watch google'))).toHaveLength(5);
    expect(received[0]!.blocks).toHaveLength(1);

    // Dry run now shows the cooldown; a second sync opens nothing new and sends no duplicate alert.
    const dry = await testRules(ana, { rule: 'trim meta' });
    expect(dry.firings.every((f) => f.skipped === 'cooldown')).toBe(true);
    const second = await syncAndRules(workspace);
    expect(second.changeRequests).toEqual([]);
    expect(await ctx.prisma.alert.count({ where: { workspaceId: ws.id, kind: 'rule' } })).toBe(5);
    expect(received.filter((b) => b.text.includes('watch google'))).toHaveLength(5); // no duplicate alert
  });
});
