// A mixed workspace on the real Temporal dev server and real Postgres: four sandbox accounts plus one live account on
// each platform — Google Ads, Meta, TikTok, LinkedIn — connected by an admin through the use case against each
// platform's loopback fake (its documented wire format, behind a recording proxy). Syncs run through the real
// workflows and the in-process worker; budget changes through the real BudgetChangeWorkflow. Credentials are sealed
// with the test's MBO_SECRET_KEY, opened only by the worker's connectors, and sealed again after an OAuth refresh.
import { randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformKind } from '../../connectors/types.js';
import { useKeyring } from '../../connectors/credentials.js';
import { rateLimitCleared } from '../../connectors/http.js';
import { addDays, todayIn } from '../../core/dates.js';
import { parseMoney, sumMoney } from '../../core/money.js';
import { keyringFrom, open } from '../../lib/secrets.js';
import type { ServiceContext } from '../../services/actor.js';
import { connectAccount, testAccount } from '../../services/accounts/connect-account.js';
import { platformMetrics } from '../../services/campaigns/campaigns.js';
import { decideChange } from '../../services/change-requests/decide-change.js';
import { requestChange } from '../../services/change-requests/request-change.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import type { BudgetChangeState } from '../../workflows/budget-change.contract.js';
import { isolatedSandbox, memberContext, startInProcessWorker, testContext, waitFor } from './harness.js';
import { GOOGLE_CUSTOMER, startPlatformFakes, type PlatformFakes } from './platform-fakes.js';

const LIVE: PlatformKind[] = ['google_ads', 'meta', 'tiktok', 'linkedin'];
const SECRET_KEY = randomBytes(32).toString('base64');
// Data ends two days ago (UTC), so every account's "yesterday" covers it whatever its time zone.
const END = addDays(todayIn('UTC'), -2);

let ctx: AppContext;
let worker: { worker: Worker; done: Promise<void> };
let fakes: PlatformFakes;
let workspace: string;
let admin: ServiceContext;
let analyst: ServiceContext;
let approver: ServiceContext;
const accountIds = {} as Record<PlatformKind, string>;

beforeAll(async () => {
  // A first sync backfills 45 days: TikTok reads it in 30-day windows, Meta through an async report run.
  ctx = await testContext({ MBO_SECRET_KEY: SECRET_KEY, MBO_SYNC_BACKFILL_DAYS: '45', MBO_SYNC_PAGE_SIZE: '40' });
  worker = await startInProcessWorker(ctx);
  fakes = await startPlatformFakes(END);
  ({ workspace } = await isolatedSandbox(ctx));
  admin = await memberContext(ctx, workspace, 'admin1', 'admin');
  analyst = await memberContext(ctx, workspace, 'ana', 'analyst');
  approver = await memberContext(ctx, workspace, 'paul', 'approver');
  for (const p of LIVE) rateLimitCleared(`${p}:${fakes.connect[p].externalId}`);
});

afterAll(async () => {
  worker?.worker.shutdown();
  await worker?.done;
  await fakes?.close();
  await ctx?.close();
});

const sealedRows = async () =>
  (
    await ctx.pool.query<{ id: string; sealed: string; updated_at: Date }>('select id, sealed, updated_at from platform_credential where workspace_id = $1', [
      admin.actor.workspaceId,
    ])
  ).rows;
const secretsOf = (sealed: string) =>
  JSON.parse(open(keyringFrom(SECRET_KEY), sealed)) as { secrets: Record<string, string>; options: Record<string, unknown> };

async function stored(accountId: string) {
  const { rows } = await ctx.pool.query<{ campaigns: number; rows: number; spend: string; conversions: string; value: string }>(
    `select (select count(*)::int from campaign where account_id = $1) as campaigns, count(m.*)::int as rows,
            coalesce(sum(m.spend), 0)::text as spend, coalesce(sum(m.conversions), 0)::text as conversions,
            coalesce(sum(m.conversion_value), 0)::text as value
       from campaign c left join metric_daily m on m.campaign_id = c.id where c.account_id = $1`,
    [accountId],
  );
  const r = rows[0]!;
  return { campaigns: r.campaigns, rows: r.rows, spend: parseMoney(r.spend), conversions: parseMoney(r.conversions), value: parseMoney(r.value) };
}

/** Every metric row of the workspace with the sync run that last wrote it: a re-sync that changes nothing keeps these. */
const snapshot = async () =>
  (
    await ctx.pool.query<{ k: string }>(
      `select string_agg(m.campaign_id || m.date::text || m.spend::text || m.conversion_value::text || coalesce(m.sync_run_id::text, '') || m.updated_at::text, ',' order by m.campaign_id, m.date) as k
         from metric_daily m join campaign c on c.id = m.campaign_id join platform_account a on a.id = c.account_id where a.workspace_id = $1`,
      [admin.actor.workspaceId],
    )
  ).rows[0]!.k;

describe('a mixed workspace: sandbox plus Google Ads, Meta, TikTok and LinkedIn', () => {
  it('connects one live account per platform as an admin; a wrong token is refused and nothing is stored; secrets are sealed', async () => {
    const wrong: Record<PlatformKind, Record<string, string>> = {
      google_ads: { ...fakes.connect.google_ads.secrets, accessToken: 'ya29.not-a-token', refreshToken: '1//revoked-refresh-token' },
      meta: { accessToken: 'EAAB-wrong-token-999999' },
      tiktok: { accessToken: 'tt-wrong-token-999999' },
      linkedin: { accessToken: 'li-wrong-token-999999' },
    };
    for (const p of LIVE) {
      const e = await connectAccount(admin, { ...fakes.connect[p], secrets: wrong[p] }).catch((x: unknown) => x);
      expect(e, p).toMatchObject({ code: 'VALIDATION' });
      for (const s of Object.values(wrong[p])) if (s.length > 12) expect((e as Error).message, p).not.toContain(s);
    }
    expect(await sealedRows()).toHaveLength(0);
    expect(await ctx.prisma.platformAccount.count({ where: { workspaceId: admin.actor.workspaceId, connector: { not: 'sandbox' } } })).toBe(0);

    // Only admins connect accounts.
    await expect(connectAccount(analyst, fakes.connect.meta)).rejects.toMatchObject({ code: 'FORBIDDEN' });

    for (const p of LIVE) {
      const a = await connectAccount(admin, fakes.connect[p]);
      expect(a).toMatchObject({ platform: p });
      expect(JSON.stringify(a)).not.toMatch(/token|secret/i);
      accountIds[p] = a.id;
    }
    const google = await ctx.prisma.platformAccount.findUniqueOrThrow({ where: { id: accountIds.google_ads } });
    // Name, currency and time zone as the platform says; the id as the platform writes it (typed 444-555-6667).
    expect([google.externalId, google.name, google.currency, google.timeZone]).toEqual([GOOGLE_CUSTOMER, 'Mixed – Google Search', 'USD', 'America/New_York']);
    // The same account typed another way is the same account: reconnected, not added twice.
    const again = await connectAccount(admin, { ...fakes.connect.meta, externalId: `act_${fakes.connect.meta.externalId}` });
    expect([again.id, again.externalId]).toEqual([accountIds.meta, `act_${fakes.connect.meta.externalId}`]);

    const rows = await sealedRows();
    expect(rows).toHaveLength(4);
    const secrets = LIVE.flatMap((p) => Object.values(fakes.connect[p].secrets));
    for (const r of rows) {
      expect(r.sealed).toMatch(/^v1:/);
      for (const s of secrets) expect(r.sealed).not.toContain(s);
    }
    const audit = await ctx.prisma.auditEvent.findMany({ where: { workspaceId: admin.actor.workspaceId, action: { startsWith: 'account.' } } });
    expect(audit.map((a) => a.action).sort()).toEqual([...Array(4).fill('account.connected'), 'account.reconnected']);
    const auditText = JSON.stringify(audit.map((a) => [a.before, a.after, a.details]));
    for (const s of secrets) expect(auditText).not.toContain(s);

    for (const p of LIVE) expect(await testAccount(admin, { account: accountIds[p] }), p).toMatchObject({ ok: true });
  });

  it('syncs every account through the real workflows; an expired Google token is refreshed once and sealed back', async () => {
    const googleRef = (await ctx.prisma.platformAccount.findUniqueOrThrow({ where: { id: accountIds.google_ads } })).credentialsRef!;
    const before = (await sealedRows()).find((r) => r.id === googleRef)!;
    fakes.google.expireAccessTokens(); // the stored access token now gets 401 OAUTH_TOKEN_EXPIRED
    const refreshesBefore = fakes.google.refreshes;

    const result = await (await startSync(analyst)).handle.result();
    expect(result.accounts.filter((a) => a.state !== 'succeeded')).toEqual([]);
    expect(result.succeeded).toBe(8);
    const runs = await ctx.prisma.syncRun.findMany({ where: { account: { workspaceId: analyst.actor.workspaceId } } });
    expect(runs.map((r) => r.status)).toEqual(Array(8).fill('SUCCEEDED'));

    for (const p of LIVE) {
      const want = fakes.expected(p);
      expect(await stored(accountIds[p]), p).toEqual(want);
    }

    // One refresh for the whole sync: the campaigns step refreshed and sealed the new token, the metrics step
    // (a new connector, opened from the store) used it as it was.
    expect(fakes.google.refreshes - refreshesBefore).toBe(1);
    const after = (await sealedRows()).find((r) => r.id === googleRef)!;
    expect(after.updated_at.getTime()).toBeGreaterThan(before.updated_at.getTime());
    expect(secretsOf(before.sealed).secrets.accessToken).toBe('ya29.mixed-initial');
    const refreshed = secretsOf(after.sealed);
    expect(refreshed.secrets.accessToken).toBe(`ya29.fake-${fakes.google.refreshes}`);
    expect(refreshed.secrets.refreshToken).toBe('1//refresh-token');
    expect(refreshed.options.baseUrl).toBe(fakes.connect.google_ads.options.baseUrl);
    expect(after.sealed).not.toContain(refreshed.secrets.accessToken);

    const { platforms } = await platformMetrics(analyst, { from: '2026-01-01', to: todayIn('UTC') });
    expect(platforms.map((p) => [p.platform, p.accounts])).toEqual([...LIVE].sort().map((p) => [p, 2]));
    for (const p of platforms) {
      const total = sumMoney(p.byCurrency.map((c) => parseMoney(c.spend)));
      const { rows } = await ctx.pool.query<{ s: string }>(
        `select coalesce(sum(m.spend), 0)::text as s from metric_daily m join campaign c on c.id = m.campaign_id
           join platform_account a on a.id = c.account_id where a.workspace_id = $1 and a.platform = $2`,
        [analyst.actor.workspaceId, p.platform],
      );
      expect(total, p.platform).toBe(parseMoney(rows[0]!.s));
    }
  });

  it('a second sync changes no row', async () => {
    const before = await snapshot();
    const result = await (await startSync(analyst)).handle.result();
    expect(result.failed).toBe(0);
    expect(result.accounts.every((a) => a.rows === 0)).toBe(true);
    expect(await snapshot()).toBe(before);
    for (const p of LIVE) expect(await stored(accountIds[p]), p).toEqual(fakes.expected(p));
  });

  it("retries a Google RESOURCE_EXHAUSTED after the platform's retryDelay, and the sync completes", async () => {
    const proxy = fakes.proxies.google_ads;
    const from = proxy.calls.length;
    fakes.google.rateLimit(2, '2s');
    const result = await (await startSync(analyst, { accounts: [accountIds.google_ads] })).handle.result();
    expect(result.failed).toBe(0);
    const calls = proxy.calls.slice(from).filter((c) => c.path.includes('googleAds:'));
    expect(calls.slice(0, 3).map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_900);
    expect(calls[2]!.at - calls[1]!.at).toBeGreaterThanOrEqual(1_900);
    expect(await stored(accountIds.google_ads)).toEqual(fakes.expected('google_ads'));
  });

  it('applies an approved Google Ads budget change once, through the real workflow, verified by read-back', async () => {
    const campaign = await ctx.prisma.campaign.findFirstOrThrow({ where: { accountId: accountIds.google_ads, externalId: '301' } });
    expect(campaign.dailyBudget?.toString()).toBe('50');
    const mutatesBefore = fakes.google.calls.filter((c) => c.path.endsWith(':mutate')).length;

    const req = await requestChange(analyst, { reason: 'more for brand search', items: [{ kind: 'budget', campaign: campaign.id, toBudget: '55.00' }] });
    await waitFor(
      'pending approval',
      async () => (await ctx.prisma.changeRequest.findUnique({ where: { id: req.id } }))?.status === 'PENDING_APPROVAL',
      30_000,
    );
    await decideChange(approver, { requestId: req.id, approve: true, note: 'ok' });
    const state = (await (await ctx.temporal()).workflow.getHandle(req.id).result()) as BudgetChangeState;
    expect(state.status).toBe('APPLIED');

    const budget = fakes.google.customer(GOOGLE_CUSTOMER).budgets.find((b) => b.id === '401')!;
    expect(budget.amountMicros).toBe(55_000_000n);
    const mutates = fakes.google.calls.filter((c) => c.path.endsWith(':mutate')).slice(mutatesBefore);
    expect(mutates).toHaveLength(1);
    expect(mutates[0]!.body).toMatchObject({
      operations: [{ update: { resourceName: `customers/${GOOGLE_CUSTOMER}/campaignBudgets/401`, amountMicros: '55000000' } }],
    });
    const item = await ctx.prisma.changeItem.findFirstOrThrow({ where: { requestId: req.id } });
    expect([item.status, item.observedBudget?.toString()]).toEqual(['APPLIED', '55']);
    expect((await ctx.prisma.campaign.findUniqueOrThrow({ where: { id: campaign.id } })).dailyBudget?.toString()).toBe('55');
  });

  it('a platform slower than the heartbeat timeout in total (each call within its own timeout) still syncs', async () => {
    // Two calls of 8 s each in the campaigns step: 16 s without a page to heartbeat, above the sync activities'
    // 15 s heartbeat timeout, while each call stays within the connector's 30 s HTTP timeout.
    const proxy = fakes.proxies.google_ads;
    const from = proxy.calls.length;
    proxy.delayMs = 8_000;
    proxy.slowCalls = 2;
    const started = Date.now();
    const result = await (await startSync(analyst, { accounts: [accountIds.google_ads] })).handle.result();
    expect(result.failed).toBe(0);
    expect(Date.now() - started).toBeLessThan(40_000);
    // Not retried: one customer read and one campaign read.
    expect(proxy.calls.slice(from).filter((c) => c.path.includes('googleAds:searchStream'))).toHaveLength(2);
  });

  it('after a key rotation, a credential is sealed again with the new key on its next use', async () => {
    const newKey = randomBytes(32).toString('base64');
    const ref = (await ctx.prisma.platformAccount.findUniqueOrThrow({ where: { id: accountIds.meta } })).credentialsRef!;
    const sealedNow = async () => (await sealedRows()).find((r) => r.id === ref)!.sealed;
    const old = await sealedNow();
    useKeyring(keyringFrom(newKey, [SECRET_KEY])); // MBO_SECRET_KEY=new, MBO_SECRET_KEYS_PREVIOUS=old
    try {
      expect(await testAccount(admin, { account: accountIds.meta })).toMatchObject({ ok: true });
      const resealed = await sealedNow();
      expect(resealed).not.toBe(old);
      expect(JSON.parse(open(keyringFrom(newKey), resealed))).toEqual(secretsOf(old)); // opens without the old key
    } finally {
      useKeyring(keyringFrom(SECRET_KEY, [newKey]));
    }
  });
});
