// Rules: "when CPA over the last 7 days > 50 and spend over 7 days > 200, pause" — scope, condition over
// metric windows (AND/OR), action, cooldown. Pure: the caller passes campaigns with their daily metrics and
// when each rule last fired; the result says what would fire and why, in words. Conditions are written in a
// small language (parseCondition / parseAction) shared by the CLI, API and MCP.
import { AppError } from './errors.js';
import { computeMetrics } from './analytics/metrics.js';
import { addDays, type IsoDate } from './dates.js';
import { formatMoney, parseMoney } from './money.js';

export type RuleMetric = 'spend' | 'revenue' | 'conversions' | 'clicks' | 'impressions' | 'cpa' | 'roas' | 'cpc' | 'ctr' | 'cvr';
export type Comparator = '>' | '>=' | '<' | '<=';
export type Condition = { all: Condition[] } | { any: Condition[] } | { metric: RuleMetric; days: number; op: Comparator; value: number };
export type RuleAction =
  { type: 'pause' } | { type: 'resume' } | { type: 'budget_pct'; pct: number } | { type: 'budget_to'; amount: string } | { type: 'alert' };

export interface RuleDefinition {
  scope: { platforms?: string[]; accountIds?: string[]; namePattern?: string };
  condition: Condition;
  action: RuleAction;
  cooldownHours: number;
  requiresApproval: boolean;
  /** When the rule may act (UTC): days of week (0 = Sunday) and hours; absent = after every sync. */
  schedule?: { weekdays?: number[]; hours?: number[] };
}

export interface RuleCampaign {
  id: string;
  name: string;
  platform: string;
  accountId: string;
  status: 'ACTIVE' | 'PAUSED' | 'REMOVED';
  dailyBudget: string | null;
  /** Daily rows (decimal strings for money), any order. */
  days: { date: IsoDate; spend: string; revenue: string; conversions: string; clicks: number; impressions: number }[];
}

export interface Firing {
  campaignId: string;
  campaignName: string;
  action: RuleAction;
  /** For budget actions: the new daily budget (decimal string). */
  newBudget?: string;
  explanation: string;
  skipped?: 'cooldown' | 'not-applicable';
}

const METRICS: RuleMetric[] = ['spend', 'revenue', 'conversions', 'clicks', 'impressions', 'cpa', 'roas', 'cpc', 'ctr', 'cvr'];
const MONEY: RuleMetric[] = ['spend', 'revenue', 'cpa', 'cpc'];

/** Parses e.g. `cpa(7d) > 50 and spend(7d) > 200`, `roas(14d) < 1.5 or conversions(3d) < 1`, with parentheses. */
export function parseCondition(text: string): Condition {
  const tokens = text.match(/\(|\)|>=|<=|>|<|[A-Za-z_]+\(\s*\d+\s*d\s*\)|-?\d+(?:\.\d+)?|\S+/g) ?? [];
  let i = 0;
  const fail = (msg: string): never => {
    throw new AppError('VALIDATION', `condition "${text}": ${msg}`);
  };
  const atom = (): Condition => {
    if (tokens[i] === '(') {
      i++;
      const c = orExpr();
      if (tokens[i++] !== ')') fail('missing )');
      return c;
    }
    const m = /^([A-Za-z_]+)\(\s*(\d+)\s*d\s*\)$/.exec(tokens[i++] ?? '') ?? fail(`expected metric(Nd) at "${tokens[i - 1] ?? 'end'}"`);
    const metric = m[1]!.toLowerCase() as RuleMetric;
    if (!METRICS.includes(metric)) fail(`unknown metric "${m[1]}" (one of ${METRICS.join(', ')})`);
    const days = Number(m[2]);
    if (days < 1 || days > 90) fail('windows are 1 to 90 days');
    const op = tokens[i++] as Comparator;
    if (!['>', '>=', '<', '<='].includes(op)) fail(`expected > >= < <= after ${m[0]}`);
    const value = Number(tokens[i++]);
    if (!Number.isFinite(value)) fail(`expected a number after ${op}`);
    return { metric, days, op, value };
  };
  const andExpr = (): Condition => {
    const parts = [atom()];
    while (tokens[i]?.toLowerCase() === 'and') {
      i++;
      parts.push(atom());
    }
    return parts.length === 1 ? parts[0]! : { all: parts };
  };
  const orExpr = (): Condition => {
    const parts = [andExpr()];
    while (tokens[i]?.toLowerCase() === 'or') {
      i++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : { any: parts };
  };
  if (!tokens.length) fail('empty');
  const c = orExpr();
  if (i < tokens.length) fail(`unexpected "${tokens[i]}"`);
  return c;
}

/** Parses `pause`, `resume`, `alert`, `budget -20%`, `budget +15%`, `budget to 150`. */
export function parseAction(text: string): RuleAction {
  const t = text.trim().toLowerCase();
  if (t === 'pause' || t === 'resume' || t === 'alert') return { type: t };
  const pct = /^budget\s+([+-]\d+(?:\.\d+)?)%$/.exec(t);
  if (pct) {
    const v = Number(pct[1]) / 100;
    if (v <= -1 || v === 0 || v > 10) throw new AppError('VALIDATION', `action "${text}": a budget change is between -99% and +1000%, not 0`);
    return { type: 'budget_pct', pct: v };
  }
  const to = /^budget\s+to\s+(\d+(?:\.\d{1,2})?)$/.exec(t);
  if (to) return { type: 'budget_to', amount: to[1]! };
  throw new AppError('VALIDATION', `action "${text}": use pause, resume, alert, "budget -20%" or "budget to 150"`);
}

function windowValue(c: RuleCampaign, metric: RuleMetric, days: number, asOf: IsoDate): number | null {
  const from = addDays(asOf, -days);
  const rows = c.days.filter((d) => d.date >= from && d.date < asOf);
  const spend = rows.reduce((a, r) => a + parseMoney(r.spend), 0n);
  const revenue = rows.reduce((a, r) => a + parseMoney(r.revenue), 0n);
  const conversions = rows.reduce((a, r) => a + parseMoney(r.conversions), 0n);
  const clicks = rows.reduce((a, r) => a + r.clicks, 0);
  const impressions = rows.reduce((a, r) => a + r.impressions, 0);
  const m = computeMetrics({ spend, revenue, conversions: formatMoney(conversions, 6), clicks, impressions });
  switch (metric) {
    case 'spend':
      return Number(spend) / 1e6;
    case 'revenue':
      return Number(revenue) / 1e6;
    case 'conversions':
      return Number(conversions) / 1e6;
    case 'clicks':
      return clicks;
    case 'impressions':
      return impressions;
    case 'cpa':
      return m.cpa === null ? null : Number(m.cpa) / 1e6;
    case 'cpc':
      return m.cpc === null ? null : Number(m.cpc) / 1e6;
    case 'roas':
      return m.roas;
    case 'ctr':
      return m.ctr;
    case 'cvr':
      return m.cvr;
  }
}

function check(c: RuleCampaign, cond: Condition, asOf: IsoDate): { ok: boolean; why: string } {
  if ('all' in cond || 'any' in cond) {
    const parts = ('all' in cond ? cond.all : cond.any).map((p) => check(c, p, asOf));
    const ok = 'all' in cond ? parts.every((p) => p.ok) : parts.some((p) => p.ok);
    const shown = 'all' in cond ? parts : parts.filter((p) => p.ok === ok);
    return { ok, why: shown.map((p) => p.why).join('all' in cond ? ' AND ' : ' OR ') };
  }
  const v = windowValue(c, cond.metric, cond.days, asOf);
  const ratio = cond.metric === 'roas' || cond.metric === 'ctr' || cond.metric === 'cvr';
  const fmt = (x: number) => (MONEY.includes(cond.metric) ? x.toFixed(2) : ratio ? x.toFixed(3) : Number.isInteger(x) ? String(x) : x.toFixed(2));
  if (v === null) return { ok: false, why: `${cond.metric.toUpperCase()} over ${cond.days} days is undefined (nothing to divide by)` };
  const ok = cond.op === '>' ? v > cond.value : cond.op === '>=' ? v >= cond.value : cond.op === '<' ? v < cond.value : v <= cond.value;
  return { ok, why: `${cond.metric.toUpperCase()} over ${cond.days} days = ${fmt(v)} ${ok ? cond.op : `not ${cond.op}`} ${cond.value}` };
}

function globToRegExp(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    'i',
  );
}

/** What a rule does to each campaign in scope on `asOf` (metric windows end the day before). */
export function evaluateRule(
  rule: RuleDefinition,
  campaigns: RuleCampaign[],
  asOf: IsoDate,
  now: string,
  lastFiredAt: Record<string, string | undefined> = {},
): Firing[] {
  const name = rule.scope.namePattern ? globToRegExp(rule.scope.namePattern) : undefined;
  const out: Firing[] = [];
  const at = new Date(now);
  if (rule.schedule?.weekdays?.length && !rule.schedule.weekdays.includes(at.getUTCDay())) return out;
  if (rule.schedule?.hours?.length && !rule.schedule.hours.includes(at.getUTCHours())) return out;
  for (const c of campaigns) {
    if (rule.scope.platforms?.length && !rule.scope.platforms.includes(c.platform)) continue;
    if (rule.scope.accountIds?.length && !rule.scope.accountIds.includes(c.accountId)) continue;
    if (name && !name.test(c.name)) continue;
    const r = check(c, rule.condition, asOf);
    if (!r.ok) continue;
    const f: Firing = { campaignId: c.id, campaignName: c.name, action: rule.action, explanation: r.why };
    const last = lastFiredAt[c.id];
    if (last && Date.parse(now) - Date.parse(last) < rule.cooldownHours * 3_600_000) f.skipped = 'cooldown';
    else if ((rule.action.type === 'pause' && c.status !== 'ACTIVE') || (rule.action.type === 'resume' && c.status !== 'PAUSED')) f.skipped = 'not-applicable';
    else if (rule.action.type === 'budget_pct' || rule.action.type === 'budget_to') {
      if (!c.dailyBudget || c.status !== 'ACTIVE') f.skipped = 'not-applicable';
      else {
        const cur = parseMoney(c.dailyBudget);
        const next = rule.action.type === 'budget_to' ? parseMoney(rule.action.amount) : (cur * BigInt(Math.round((1 + rule.action.pct) * 1e6))) / 1_000_000n;
        const cents = ((next + 5_000n) / 10_000n) * 10_000n;
        if (cents === cur) f.skipped = 'not-applicable';
        f.newBudget = formatMoney(cents);
      }
    }
    out.push(f);
  }
  return out;
}
