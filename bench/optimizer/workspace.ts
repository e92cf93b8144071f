// Workspace-wide plan vs per-account runs on the sandbox, which knows its true curves (connectors/sandbox/model.ts).
// Each world is the sandbox's four accounts (Google Ads, Meta, TikTok, LinkedIn; 10 campaigns each) with 90 days of
// history simulated exactly as the sandbox does. Both plans use the same total budget, guardrails (±50% per
// step, minimum 1.00) and optimizer; the per-account runs keep each account's own total. Judged on the TRUE
// steady-state curves: captured = (true value of the plan − true value of today's budgets) / (true optimum over
// the whole workspace under the same bounds and total − true value of today's budgets). 1 = the true optimum.
// usage: npm run bench:optimizer -- --workspace-only [--worlds 20]   (the full bench prints it last)
import { pathToFileURL } from 'node:url';
import { allocate, type AllocationItem } from '../../core/optimizer/allocate.js';
import { optimizeWorkspace, type WorkspaceAccount, type WorkspaceOptimizeInput } from '../../core/optimizer/workspace.js';
import { addDays } from '../../core/dates.js';
import { generateCampaign, hill, historicalBudget, simulateDay, type CampaignTruth } from '../../connectors/sandbox/model.js';
import { PLATFORMS } from '../../connectors/types.js';

const TODAY = '2026-06-01';
const HISTORY = 90;
const PER_ACCOUNT = 10;
const MAX_CHANGE = 0.5;

interface World {
  accounts: WorkspaceAccount[];
  truth: Map<string, CampaignTruth>;
}

/** The sandbox's four accounts for a seed, as SandboxPlatform.setup builds them (all campaigns active). */
export function sandboxWorld(seed: number): World {
  const truth = new Map<string, CampaignTruth>();
  const accounts = PLATFORMS.map((platform): WorkspaceAccount => {
    const id = `sbx-${platform}`;
    return {
      id,
      name: id,
      platform,
      currency: 'USD',
      maxChangePct: MAX_CHANGE,
      minBudget: '1.00',
      campaigns: Array.from({ length: PER_ACCOUNT }, (_, i) => {
        const { truth: t, budget } = generateCampaign(seed, platform, i);
        const cid = `${id}-c${String(i + 1).padStart(2, '0')}`;
        truth.set(cid, t);
        let carry = 0;
        const history = Array.from({ length: HISTORY }, (_, d) => {
          const date = addDays(TODAY, d - HISTORY);
          const day = simulateDay(t, historicalBudget(t, budget, seed, cid, d, HISTORY), true, carry, date, seed, cid);
          carry = day.carry;
          return {
            date,
            spend: (day.spendCents / 100).toFixed(2),
            revenue: (day.valueCents / 100).toFixed(2),
            conversions: day.conversions,
            impressions: day.impressions,
            clicks: day.clicks,
          };
        });
        return { id: cid, name: cid, dailyBudget: budget.toFixed(2), history };
      }),
    };
  });
  return { accounts, truth };
}

/** The true steady-state objective per day at a daily budget (weekly seasonality averages to 1). */
function trueValue(t: CampaignTruth, budget: number, objective: 'revenue' | 'profit', margin: number): number {
  const spend = t.pacing * budget;
  const revenue = t.aov * hill(t.curve, spend / (1 - t.adstock));
  return objective === 'revenue' ? revenue : margin * revenue - spend;
}

interface Row {
  seed: number;
  objective: 'revenue' | 'profit';
  /** True achievable uplift over today's budgets, share of today's true value. */
  achievable: number;
  workspace: number;
  perAccount: number;
}

function judge(seed: number, objective: 'revenue' | 'profit', margin = 0.5): Row {
  const { accounts, truth } = sandboxWorld(seed);
  const campaigns = accounts.flatMap((a) => a.campaigns);
  const value = (budgets: Map<string, number>) => campaigns.reduce((s, c) => s + trueValue(truth.get(c.id)!, budgets.get(c.id)!, objective, margin), 0);
  const current = new Map(campaigns.map((c) => [c.id, Number(c.dailyBudget)]));
  const total = campaigns.reduce((s, c) => s + Number(c.dailyBudget), 0);
  // The true optimum under the same bounds (±50% of today, at least 1.00) and total, on a fine grid.
  const items: AllocationItem[] = campaigns.map((c) => {
    const cur = Number(c.dailyBudget);
    const lo = Math.max(1, cur * (1 - MAX_CHANGE));
    const hi = cur * (1 + MAX_CHANGE);
    const budgets = Float64Array.from({ length: 201 }, (_, j) => lo + ((hi - lo) * j) / 200);
    return { lo, hi, budgets, values: Float64Array.from(budgets, (b) => trueValue(truth.get(c.id)!, b, objective, margin)) };
  });
  const best = allocate(items, total);
  const optimum = new Map(campaigns.map((c, i) => [c.id, best.budgets[i]!]));
  const base: Omit<WorkspaceOptimizeInput, 'accounts'> = {
    name: `sandbox ${seed}`,
    reportCurrency: 'USD',
    asOf: addDays(TODAY, -1),
    objective,
    margin: objective === 'profit' ? margin : undefined,
  };
  const planned = (plans: ReturnType<typeof optimizeWorkspace>[]) => new Map(plans.flatMap((p) => p.campaigns.map((c) => [c.campaignId, Number(c.to)])));
  const workspace = planned([optimizeWorkspace({ ...base, accounts })]);
  const perAccount = planned(accounts.map((a) => optimizeWorkspace({ ...base, name: `${base.name} ${a.id}`, accounts: [a] })));
  const v0 = value(current);
  const gap = value(optimum) - v0;
  return {
    seed,
    objective,
    achievable: gap / Math.abs(v0),
    workspace: (value(workspace) - v0) / gap,
    perAccount: (value(perAccount) - v0) / gap,
  };
}

export function workspaceBench(worlds = 20): void {
  const f3 = (v: number) => v.toFixed(3).padStart(7);
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`.padStart(7);
  console.log(`\n# Workspace-wide plan vs per-account runs (sandbox worlds: 4 platforms × ${PER_ACCOUNT} campaigns, ${HISTORY} days; same total)\n`);
  console.log('captured share of the true achievable uplift (1 = true optimum across the workspace, 0 = today’s budgets)\n');
  console.log(
    `${'objective'.padEnd(18)} ${'worlds'.padStart(6)}  ${'achievable'.padStart(10)}  ${'workspace'.padStart(9)}  ${'per-acct'.padStart(8)}  ${'ws wins'.padStart(7)}  ${'worst ws'.padStart(8)}  ${'worst pa'.padStart(8)}`,
  );
  for (const objective of ['revenue', 'profit'] as const) {
    const rows = Array.from({ length: worlds }, (_, i) => judge(20_000 + i, objective)).filter((r) => r.achievable >= 0.005);
    const mean = (k: 'workspace' | 'perAccount' | 'achievable') => rows.reduce((s, r) => s + r[k], 0) / rows.length;
    const worst = (k: 'workspace' | 'perAccount') => Math.min(...rows.map((r) => r[k]));
    console.log(
      `${(objective === 'profit' ? 'profit m=0.5' : objective).padEnd(18)} ${String(rows.length).padStart(6)}  ${pct(mean('achievable')).padStart(10)}  ${f3(mean('workspace')).padStart(9)}  ${f3(mean('perAccount')).padStart(8)}  ${`${rows.filter((r) => r.workspace > r.perAccount).length}/${rows.length}`.padStart(7)}  ${f3(worst('workspace')).padStart(8)}  ${f3(worst('perAccount')).padStart(8)}`,
    );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) workspaceBench(Number(process.argv[2] ?? 20));
