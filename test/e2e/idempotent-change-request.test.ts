// A change request made with an Idempotency-Key is stored once per key (workspace, requester), whatever happens
// to the process that made it: a retry after a crash between storing the request and starting its workflow finds
// the stored request and starts the workflow; simultaneous attempts with one key store one request. This is what
// lets api/idempotency.ts hand a crashed process's key to the next retry (real Postgres, Temporal and sandbox).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChangeRequest } from '../../db/change-requests.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, startInProcessWorker, testContext, waitFor } from './harness.js';

let ctx: AppContext;
let worker: Awaited<ReturnType<typeof startInProcessWorker>> | undefined;
let ana: Awaited<ReturnType<typeof memberContext>>;
let campaigns: { id: string; dailyBudget: unknown }[];
let workspace: string;

beforeAll(async () => {
  ctx = await testContext();
  worker = await startInProcessWorker(ctx);
  ({ workspace } = await isolatedSandbox(ctx, { historyDays: 2, campaignsPerAccount: 3 }));
  ana = await memberContext(ctx, workspace, 'ana-idem', 'analyst');
  await memberContext(ctx, workspace, 'paul-idem', 'approver');
  await (await startSync(ana, { from: '2026-05-30', to: '2026-05-31' })).handle.result();
  campaigns = await ctx.prisma.campaign.findMany({ where: { status: 'ACTIVE', account: { workspace: { slug: workspace } } }, orderBy: { externalId: 'asc' } });
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

const body = (i: number, f = 1.1) => ({
  reason: `idempotent ${i}`,
  items: [{ campaign: campaigns[i]!.id, kind: 'budget' as const, toBudget: (Number(campaigns[i]!.dailyBudget) * f).toFixed(2) }],
});
const stored = async (reason: string) => ctx.prisma.changeRequest.count({ where: { reason, workspace: { slug: workspace } } });

describe('change requests with an Idempotency-Key', () => {
  it('answers a retry with the request stored the first time', async () => {
    const a = await requestChange(ana, body(0), { idempotencyKey: 'idem-key-0001' });
    const b = await requestChange(ana, body(0), { idempotencyKey: 'idem-key-0001' });
    expect(b.id).toBe(a.id);
    expect(await stored('idempotent 0')).toBe(1);
  });

  it('starts the workflow of a request whose process died before starting it, and stores nothing new', async () => {
    // What a crash between storing and starting leaves: the request, EVALUATING, with no workflow.
    const orphan = await createChangeRequest(ctx, {
      workspace,
      requestedBy: ana.actor.userId,
      source: 'api',
      reason: 'idempotent 1',
      items: [{ campaign: campaigns[1]!.id, kind: 'budget', toBudget: (Number(campaigns[1]!.dailyBudget) * 1.1).toFixed(2) }],
      idempotencyKey: 'idem-key-0002',
    });
    const retried = await requestChange(ana, body(1), { idempotencyKey: 'idem-key-0002' });
    expect(retried.id).toBe(orphan.requestId);
    expect(await stored('idempotent 1')).toBe(1);
    await waitFor(
      'pending approval',
      async () => (await ctx.prisma.changeRequest.findUniqueOrThrow({ where: { id: orphan.requestId } })).status === 'PENDING_APPROVAL',
    );
    // A retry after the workflow started: the same request, no second start.
    expect((await requestChange(ana, body(1), { idempotencyKey: 'idem-key-0002' })).id).toBe(orphan.requestId);
  });

  it('stores one request when attempts with one key run at the same time', async () => {
    const answers = await Promise.all(Array.from({ length: 6 }, () => requestChange(ana, body(2), { idempotencyKey: 'idem-key-0003' })));
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(await stored('idempotent 2')).toBe(1);
  });

  it('stores every request made without a key', async () => {
    await requestChange(ana, body(3, 1.2));
    await requestChange(ana, body(3, 1.3));
    expect(await stored('idempotent 3')).toBe(2);
  });
});
