// Chaos 1: the worker process killed (SIGKILL) every few seconds while N change requests are requested, approved
// all at once and applied (N = MBO_CHAOS_N, default 200). Each replacement worker is killed a few seconds after it
// starts making progress, so kills land in every phase (evaluation, decision, apply, read-back). Proves: exactly N
// sandbox mutations (one per request, none twice) and every request APPLIED.
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../services/context.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import { startSync } from '../../services/sync/sync.js';
import { ensureSandbox } from '../../stack/ensure-sandbox.js';
import { memberContext, spawnWorkerProcess, testContext, testEnv, waitFor } from '../e2e/harness.js';
import { killHard, mutationsPerCampaign, numberFromEnv, recordRow, sleep } from './chaos.js';

const N = numberFromEnv('MBO_CHAOS_N', 200);
const KILL_AFTER_MS = numberFromEnv('MBO_CHAOS_KILL_EVERY_MS', 4000);
const DONE = ['APPLIED', 'FAILED', 'ROLLED_BACK', 'NEEDS_REAPPROVAL', 'BLOCKED', 'PARTIALLY_APPLIED', 'EXPIRED', 'REJECTED'] as const;

let ctx: AppContext | undefined;
let worker: ChildProcess | undefined;

afterAll(async () => {
  await killHard(worker);
  await ctx?.close();
});

describe('chaos: worker killed during approvals', () => {
  it(`applies ${N} concurrent approvals exactly once while the worker is killed every few seconds`, async () => {
    const t0 = Date.now();
    const env = testEnv({ LOG_LEVEL: 'error' });
    ctx = await testContext(env);
    const app = ctx;
    const tag = randomUUID().slice(0, 8);
    const [ana, paul] = [`ana-${tag}`, `paul-${tag}`];
    const { workspace, accounts } = await ensureSandbox(app, {
      workspace: `ws-chaos-${tag}`,
      prefix: `k${tag}`,
      historyDays: 3,
      campaignsPerAccount: Math.ceil(N / 4) * 2 + 2,
      seed: 1,
      today: '2026-06-01',
      members: [
        [ana, 'analyst'],
        [paul, 'approver'],
      ],
    });
    await app.prisma.guardrailSetting.create({ data: { workspaceId: workspace.id, policy: { maxChangesPerDay: 100_000, learningPhaseDays: 0 } } });
    const analyst = await memberContext(app, workspace.slug, ana, 'analyst');
    const approver = await memberContext(app, workspace.slug, paul, 'approver');

    worker = spawnWorkerProcess(env);
    await (await startSync(analyst, { from: '2026-05-29', to: '2026-05-31' })).handle.result();
    const campaigns = await app.prisma.campaign.findMany({
      where: { status: 'ACTIVE', account: { workspaceId: workspace.id } },
      orderBy: { externalId: 'asc' },
      take: N,
    });
    expect(campaigns).toHaveLength(N);

    // The fault: a new worker process replaces each killed one; each is killed KILL_AFTER_MS after it first moved
    // something forward (so every worker does some work, and every phase sees kills).
    const progress = async () =>
      Number(
        (
          await app.pool.query<{ n: string }>(
            `select (select coalesce(sum(case r.status when 'EVALUATING' then 0 when 'PENDING_APPROVAL' then 1 when 'APPROVED' then 2 when 'APPLYING' then 3 else 4 end), 0)
                      from change_request r join workspace w on w.id = r.workspace_id where w.slug = $1)
                  + (select count(*) from sandbox.mutation where account_id = any($2)) as n`,
            [workspace.slug, accounts.map((a) => a.externalId)],
          )
        ).rows[0]!.n,
      );
    let kills = 0;
    let stop = false;
    const chaos = (async () => {
      while (!stop) {
        const p0 = await progress();
        const until = Date.now() + 120_000;
        while (!stop && Date.now() < until && (await progress()) === p0) await sleep(250);
        if (stop) break;
        await sleep(KILL_AFTER_MS);
        if (stop) break;
        await killHard(worker);
        kills++;
        worker = spawnWorkerProcess(env);
      }
    })();

    try {
      const ids = await Promise.all(
        campaigns.map(async (c) => {
          const r = await requestChange(analyst, {
            reason: 'chaos: worker killed',
            items: [{ campaign: c.id, kind: 'budget', toBudget: (Number(c.dailyBudget) * 1.1).toFixed(2) }],
          });
          return r.id;
        }),
      );
      const statusOf = async () => {
        const rows = await app.prisma.changeRequest.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
        return new Map(rows.map((r) => [r.id, r.status as string]));
      };
      await waitFor(
        `${N} requests pending approval`,
        async () => [...(await statusOf()).values()].filter((s) => s === 'PENDING_APPROVAL').length === N,
        600_000,
      );
      // Approve all at once; a decision cut off by a kill is sent again while the request still waits for one.
      await Promise.all(
        ids.map(async (id) => {
          for (const deadline = Date.now() + 600_000; Date.now() < deadline;) {
            try {
              await decideChange(approver, { requestId: id, approve: true });
              return;
            } catch {
              if ((await app.prisma.changeRequest.findUniqueOrThrow({ where: { id } })).status !== 'PENDING_APPROVAL') return;
              await sleep(1000);
            }
          }
        }),
      );
      await waitFor(`${N} requests done`, async () => [...(await statusOf()).values()].every((s) => (DONE as readonly string[]).includes(s)), 600_000);
      stop = true;
      await chaos;

      const statuses = [...(await statusOf()).values()];
      const applied = statuses.filter((s) => s === 'APPLIED').length;
      const m = await mutationsPerCampaign(
        app.pool,
        accounts.map((a) => a.externalId),
      );
      const lost = N - Math.min(applied, m.campaigns);
      const duplicated = m.total - m.campaigns;
      recordRow({
        fault: `worker SIGKILL every ~${KILL_AFTER_MS / 1000} s of progress, ${N} concurrent approvals`,
        runs: N,
        lost,
        duplicated,
        outcome: `${kills} kills; ${applied}/${N} APPLIED; ${m.total} sandbox mutations on ${m.campaigns} campaigns`,
        seconds: (Date.now() - t0) / 1000,
      });
      expect(kills).toBeGreaterThan(0);
      expect(applied).toBe(N);
      expect(m.total).toBe(N);
      expect(m.campaigns).toBe(N);
    } finally {
      stop = true;
      await chaos;
    }
  });
});
