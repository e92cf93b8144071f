// Workspace-wide optimization: one allocation over the campaigns of many ad accounts (several platforms and
// currencies) with the one optimizer (optimize.ts). Every amount is brought into the workspace's report currency
// (history day by day at that day's rate, budgets at the rate of `asOf`), the plan is made there with per-platform
// share bounds, locked campaigns and the objective modes the optimizer has, and each recommended budget goes back
// into its account's currency as exact cents (core/money.ts). Pure: the rates come in as a converter.
import type { IsoDate } from '../dates.js';
import { AppError } from '../errors.js';
import { formatMoney, moneyFromNumber, moneyToNumber, parseMoney, sumMoney, type Micros } from '../money.js';
import { optimize, type CampaignPlan, type Estimate, type OptimizeOptions, type OptimizeResult, type Reason } from './optimize.js';
import { parseScenario, type Scenario } from './scenario.js';

/** Converts exact amounts between currencies at a day's rate (core/fx.ts FxTable is one). */
export interface MoneyConverter {
  convert(amount: Micros, from: string, to: string, date: IsoDate): Micros;
}

/** Converts nothing: every account is already in the report currency (a mismatch is an error naming the pair). */
export const SAME_CURRENCY: MoneyConverter = {
  convert(amount, from, to, date) {
    if (from === to) return amount;
    throw new AppError('NOT_FOUND', `no exchange rate ${from}→${to} for ${date}: load rates first`, { from, to, date });
  },
};

export interface WorkspaceHistoryRow {
  date: IsoDate;
  /** Decimal strings in the account currency. */
  spend: string;
  revenue: string;
  conversions: number;
  impressions?: number;
  clicks?: number;
}

export interface WorkspaceCampaign {
  id: string;
  name: string;
  /** Current daily budget, decimal string in the account currency. */
  dailyBudget: string;
  history: WorkspaceHistoryRow[];
}

export interface WorkspaceAccount {
  id: string;
  name: string;
  platform: string;
  currency: string;
  /** The account's guardrails: the largest change per step (share) and the smallest daily budget (account currency). */
  maxChangePct?: number;
  minBudget?: string;
  campaigns: WorkspaceCampaign[];
}

export interface ShareBound {
  min?: number;
  max?: number;
}

export interface WorkspaceOptimizeInput {
  name: string;
  reportCurrency: string;
  /** The day whose rates convert budgets (normally the last day of history). */
  asOf: IsoDate;
  objective: Scenario['objective'];
  /** Profit objective: the share of revenue that is gross profit. */
  margin?: number;
  riskAversion?: number;
  /** Total daily budget in the report currency (decimal string); default: today's budgets converted and summed. */
  totalBudget?: string;
  platformShare?: Record<string, ShareBound>;
  /** Campaign ids held at their current budget. */
  locked?: string[];
  accounts: WorkspaceAccount[];
}

export interface WorkspacePlanCampaign {
  campaignId: string;
  name: string;
  platform: string;
  accountId: string;
  currency: string;
  locked: boolean;
  /** Account currency, exact cents; `to` is what the plan asks for (= from when the step is below the request threshold). */
  from: string;
  to: string;
  /** Report currency; `toReport` is the optimizer's budget. */
  fromReport: string;
  toReport: string;
  changePct: number;
  /** Predicted objective per day at the recommended budget (report currency for money), 90% interval. */
  expected: Estimate;
  expectedAtCurrent: number;
  reasons: Reason[];
  identified: boolean;
}

export interface WorkspacePlanAccount {
  accountId: string;
  name: string;
  platform: string;
  currency: string;
  /** Daily totals in the account currency. */
  currentTotal: string;
  plannedTotal: string;
  /** The moves a change request carries (≥ 1.00 and ≥ 1% of the current budget). */
  moves: { campaignId: string; from: string; to: string }[];
  expected: Estimate;
  expectedAtCurrent: number;
}

export interface WorkspacePlatformShare {
  platform: string;
  current: string;
  planned: string;
  currentShare: number;
  plannedShare: number;
  bound: ShareBound | null;
}

export interface WorkspacePlan {
  name: string;
  objective: Scenario['objective'];
  reportCurrency: string;
  asOf: IsoDate;
  margin: number | null;
  riskAversion: number | null;
  totalDailyBudget: string;
  allocatedDailyBudget: string;
  expectedTotal: OptimizeResult['expectedTotal'];
  platforms: WorkspacePlatformShare[];
  accounts: WorkspacePlanAccount[];
  campaigns: WorkspacePlanCampaign[];
  moves: number;
  warnings: string[];
}

const num = (m: Micros) => moneyToNumber(m);
const cents = (m: Micros): Micros => parseMoney(formatMoney(m, 2));

/** Whether a budget change is worth a request: at least 1.00 and at least 1% of the current budget. */
export function isMove(from: Micros, to: Micros): boolean {
  const delta = to > from ? to - from : from - to;
  return delta >= 1_000_000n && delta * 100n >= from;
}

function checkInput(input: WorkspaceOptimizeInput): void {
  if (!/^[A-Z]{3}$/.test(input.reportCurrency)) throw new AppError('VALIDATION', `report currency must be a 3-letter code, got "${input.reportCurrency}"`);
  const campaigns = input.accounts.flatMap((a) => a.campaigns);
  if (!campaigns.length) throw new AppError('VALIDATION', 'no active campaign with a daily budget in the chosen accounts: nothing to optimize');
  const ids = new Set(campaigns.map((c) => c.id));
  const unknown = (input.locked ?? []).filter((id) => !ids.has(id));
  if (unknown.length) throw new AppError('VALIDATION', `locked campaign(s) not in the plan's scope: ${unknown.join(', ')}`);
  const platforms = new Set(input.accounts.filter((a) => a.campaigns.length).map((a) => a.platform));
  let minSum = 0;
  for (const [platform, b] of Object.entries(input.platformShare ?? {})) {
    if (!platforms.has(platform))
      throw new AppError('VALIDATION', `share bound for ${platform}, which has no campaign in the plan's scope (in scope: ${[...platforms].join(', ')})`);
    for (const [k, v] of Object.entries(b))
      if (v != null && !(v >= 0 && v <= 1)) throw new AppError('VALIDATION', `${platform}: a ${k} share is between 0 and 1, got ${v}`);
    if (b.min != null && b.max != null && b.min > b.max) throw new AppError('VALIDATION', `${platform}: min share ${b.min} > max share ${b.max}`);
    minSum += b.min ?? 0;
  }
  if (minSum > 1 + 1e-9) throw new AppError('VALIDATION', `platform min shares add up to ${minSum.toFixed(2)} > 1`);
  if (input.objective === 'profit' && input.margin == null) throw new AppError('VALIDATION', 'the profit objective needs a margin');
  if (input.objective !== 'profit' && input.margin != null) throw new AppError('VALIDATION', 'a margin only applies to the profit objective');
}

/** The workspace as one scenario in the report currency, and each campaign's exact current budget there. */
export function workspaceScenario(input: WorkspaceOptimizeInput, fx: MoneyConverter = SAME_CURRENCY) {
  checkInput(input);
  const rc = input.reportCurrency;
  const locked = new Set(input.locked ?? []);
  const toReport = (amount: Micros, from: string, date: IsoDate) => fx.convert(amount, from, rc, date);
  const currentReport = new Map<string, Micros>();
  const campaigns: Scenario['campaigns'] = [];
  for (const a of input.accounts) {
    const minReport = a.minBudget ? num(toReport(parseMoney(a.minBudget), a.currency, input.asOf)) : undefined;
    for (const c of a.campaigns) {
      const cur = cents(toReport(parseMoney(c.dailyBudget), a.currency, input.asOf));
      currentReport.set(c.id, cur);
      const pct = a.maxChangePct;
      campaigns.push({
        id: c.id,
        platform: a.platform,
        name: c.name,
        currentDailyBudget: num(cur),
        // The account's own guardrail limits, as bounds in the report currency (the change limit differs by account).
        minDailyBudget: Math.min(Math.max(minReport ?? 0, pct != null ? num(cur) * (1 - pct) : 0), pct != null ? num(cur) * (1 + pct) : Infinity),
        maxDailyBudget: pct != null ? num(cur) * (1 + pct) : undefined,
        locked: locked.has(c.id) || undefined,
        margin: input.objective === 'profit' ? input.margin : undefined,
        history: c.history.map((r) => ({
          date: r.date,
          spend: num(toReport(parseMoney(r.spend), a.currency, r.date)),
          revenue: num(toReport(parseMoney(r.revenue), a.currency, r.date)),
          conversions: r.conversions,
          impressions: r.impressions,
          clicks: r.clicks,
        })),
      });
    }
  }
  const current = sumMoney(currentReport.values());
  const total = input.totalBudget ? parseMoney(input.totalBudget) : current;
  const scenario = parseScenario({
    name: input.name,
    currency: rc,
    asOf: input.asOf,
    objective: input.objective,
    riskAversion: input.riskAversion,
    constraints: { totalDailyBudget: num(total), platformShare: input.platformShare },
    campaigns,
  });
  return { scenario, currentReport, total };
}

/** One allocation over the whole workspace; the plan per campaign, per account (in its currency) and per platform. */
export function optimizeWorkspace(input: WorkspaceOptimizeInput, fx: MoneyConverter = SAME_CURRENCY, opts: OptimizeOptions = {}): WorkspacePlan {
  const { scenario, currentReport, total } = workspaceScenario(input, fx);
  const result = optimize(scenario, { riskAversion: input.riskAversion, ...opts });
  const rc = input.reportCurrency;
  const byId = new Map(result.allocations.map((p) => [p.campaignId, p]));
  const campaigns: WorkspacePlanCampaign[] = [];
  for (const a of input.accounts)
    for (const c of a.campaigns) {
      const p = byId.get(c.id)!;
      const fromReport = currentReport.get(c.id)!;
      const toReport = moneyFromNumber(p.dailyBudget);
      const from = parseMoney(c.dailyBudget);
      // Unchanged in the report currency means unchanged: never a round-trip through two conversions.
      // (A step below the request threshold is no step: the plan says what will be asked for.)
      const converted = toReport === fromReport || p.reasons.some((r) => r.code === 'locked') ? from : cents(fx.convert(toReport, rc, a.currency, input.asOf));
      const to = isMove(from, converted) ? converted : from;
      campaigns.push(planCampaign(a, c.id, p, from, to, fromReport, toReport));
    }
  const accounts = input.accounts
    .filter((a) => a.campaigns.length)
    .map((a): WorkspacePlanAccount => {
      const mine = campaigns.filter((c) => c.accountId === a.id);
      const value = mine.reduce((s, c) => s + c.expected.value, 0);
      const halfWidth = Math.sqrt(mine.reduce((s, c) => s + ((c.expected.high - c.expected.low) / 2) ** 2, 0));
      return {
        accountId: a.id,
        name: a.name,
        platform: a.platform,
        currency: a.currency,
        currentTotal: formatMoney(sumMoney(mine.map((c) => parseMoney(c.from)))),
        plannedTotal: formatMoney(sumMoney(mine.map((c) => parseMoney(c.to)))),
        moves: mine.filter((c) => isMove(parseMoney(c.from), parseMoney(c.to))).map((c) => ({ campaignId: c.campaignId, from: c.from, to: c.to })),
        expected: { value, low: value - halfWidth, high: value + halfWidth },
        expectedAtCurrent: mine.reduce((s, c) => s + c.expectedAtCurrent, 0),
      };
    });
  const platforms = [...new Set(accounts.map((a) => a.platform))].sort().map((platform): WorkspacePlatformShare => {
    const mine = campaigns.filter((c) => c.platform === platform);
    const cur = sumMoney(mine.map((c) => parseMoney(c.fromReport)));
    const planned = sumMoney(mine.map((c) => parseMoney(c.toReport)));
    const curTotal = sumMoney(currentReport.values());
    return {
      platform,
      current: formatMoney(cur),
      planned: formatMoney(planned),
      currentShare: curTotal > 0n ? num(cur) / num(curTotal) : 0,
      plannedShare: total > 0n ? num(planned) / num(total) : 0,
      bound: input.platformShare?.[platform] ?? null,
    };
  });
  return {
    name: input.name,
    objective: input.objective,
    reportCurrency: rc,
    asOf: input.asOf,
    margin: input.margin ?? null,
    riskAversion: input.riskAversion ?? null,
    totalDailyBudget: formatMoney(total),
    allocatedDailyBudget: formatMoney(sumMoney(campaigns.map((c) => parseMoney(c.toReport)))),
    expectedTotal: result.expectedTotal,
    platforms,
    accounts,
    campaigns,
    moves: accounts.reduce((s, a) => s + a.moves.length, 0),
    warnings: result.warnings,
  };
}

function planCampaign(a: WorkspaceAccount, id: string, p: CampaignPlan, from: Micros, to: Micros, fromReport: Micros, toReport: Micros): WorkspacePlanCampaign {
  return {
    campaignId: id,
    name: p.name,
    platform: a.platform,
    accountId: a.id,
    currency: a.currency,
    locked: p.reasons.some((r) => r.code === 'locked'),
    from: formatMoney(from),
    to: formatMoney(to),
    fromReport: formatMoney(fromReport),
    toReport: formatMoney(toReport),
    changePct: p.changePct,
    expected: p.expected,
    expectedAtCurrent: p.expectedAtCurrent,
    reasons: p.reasons,
    identified: p.model.identified,
  };
}
