// Rules: "when CPA over the last 7 days > 50 and spend over 7 days > 200, pause" — scope, condition over
// metric windows (AND/OR), action, cooldown. Pure: the caller passes campaigns with their daily metrics and
// when each rule last fired; the result says what would fire and why, in words. Conditions are written in a
// small language (parseCondition / parseAction) shared by the CLI, API and MCP.
import { AppError } from './errors.js';
import { computeMetrics } from './analytics/metrics.js';
import { proposeBidTarget } from './bid-change.js';
import { addDays, type IsoDate } from './dates.js';
import { budgetProblem, formatMoney, parseMoney } from './money.js';
import { safeText } from './text.js';

export type RuleMetric = 'spend' | 'revenue' | 'conversions' | 'clicks' | 'impressions' | 'cpa' | 'roas' | 'cpc' | 'ctr' | 'cvr';
export type Comparator = '>' | '>=' | '<' | '<=';
export type Condition = { all: Condition[] } | { any: Condition[] } | { metric: RuleMetric; days: number; op: Comparator; value: number };
export type RuleAction =
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'budget_pct'; pct: number }
  | { type: 'budget_to'; amount: string }
  | { type: 'alert' }
  /** Adjust the campaign's bid target (target CPA / ROAS, bid or cost cap — whichever it bids with) by ±pct or to a value. */
  | { type: 'bid_pct'; pct: number }
  | { type: 'bid_to'; value: string };

export interface RuleBidTarget {
  kind: 'target_cpa' | 'target_roas' | 'bid_cap' | 'cost_cap' | 'bid';
  value: string;
}

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
  /** The bid target the campaign bids with, if any (bid actions apply only to campaigns that have one). */
  bidTarget?: RuleBidTarget | null;
  /** Daily rows (decimal strings for money), any order. */
  days: { date: IsoDate; spend: string; revenue: string; conversions: string; clicks: number; impressions: number }[];
}

export interface Firing {
  campaignId: string;
  campaignName: string;
  action: RuleAction;
  /** For budget actions: the new daily budget (decimal string). */
  newBudget?: string;
  /** For bid actions: the bid target now and the one proposed (same kind). */
  fromBid?: RuleBidTarget;
  newBid?: RuleBidTarget;
  explanation: string;
  /** Why nothing happens: still cooling down, the action does not apply, or an identical request is already open. */
  skipped?: 'cooldown' | 'not-applicable' | 'pending-request';
  /** A sentence on why it was skipped (when not obvious). */
  note?: string;
}

/** A rule acts on the same campaign at most once per this many hours, whatever its own cooldown says. */
export const MIN_COOLDOWN_HOURS = 1;
export const MAX_COOLDOWN_HOURS = 24 * 90;
/** Longest campaign-name pattern a rule may hold (the matcher is O(pattern × name) anyway; this keeps it small). */
export const MAX_PATTERN_LENGTH = 200;
export const MAX_RULE_NAME_LENGTH = 100;
const PLATFORMS = ['google_ads', 'meta', 'tiktok', 'linkedin'];

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

/** Parses `pause`, `resume`, `alert`, `budget -20%`, `budget +15%`, `budget to 150`, `bid +10%`, `bid to 12.50`. */
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
  const bidPct = /^bid\s+([+-]\d+(?:\.\d+)?)%$/.exec(t);
  if (bidPct) {
    const v = Number(bidPct[1]) / 100;
    if (v <= -1 || v === 0 || v > 10) throw new AppError('VALIDATION', `action "${text}": a bid target change is between -99% and +1000%, not 0`);
    return { type: 'bid_pct', pct: v };
  }
  const bidTo = /^bid\s+to\s+(\d+(?:\.\d{1,4})?)$/.exec(t);
  if (bidTo) {
    if (!(Number(bidTo[1]) > 0)) throw new AppError('VALIDATION', `action "${text}": a bid target must be above 0`);
    return { type: 'bid_to', value: bidTo[1]! };
  }
  throw new AppError(
    'VALIDATION',
    `action "${text}": use pause, resume, alert, "budget -20%", "budget to 150", "bid +10%" or "bid to 12.50" (the campaign's bid target: target CPA/ROAS, bid or cost cap)`,
  );
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

/**
 * Case-insensitive glob match (`*` any run, `?` one character) in O(|pattern| × |name|) steps, never exponential:
 * the pattern is cut at its stars, the first and last pieces are anchored, and each middle piece is matched at its
 * leftmost place after the previous one (for globs, the leftmost place is always a right choice). A regular
 * expression with `.*` per star backtracked: 14 stars against a 20-character name took 22.7 s (issue 11, finding 8).
 * `stats.steps` counts character comparisons (tests assert the bound).
 */
export function globMatch(pattern: string, name: string, stats?: { steps: number }): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  const at = (piece: string, start: number): boolean => {
    for (let k = 0; k < piece.length; k++) {
      if (stats) stats.steps++;
      if (piece[k] !== '?' && piece[k] !== s[start + k]) return false;
    }
    return true;
  };
  const pieces = p.split('*');
  if (pieces.length === 1) return p.length === s.length && at(p, 0);
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > s.length) return false;
  if (!at(first, 0) || !at(last, s.length - last.length)) return false;
  let pos = first.length;
  const end = s.length - last.length;
  for (const mid of pieces.slice(1, -1)) {
    if (!mid) continue;
    let found = -1;
    for (let i = pos; i + mid.length <= end; i++)
      if (at(mid, i)) {
        found = i;
        break;
      }
    if (found < 0) return false;
    pos = found + mid.length;
  }
  return true;
}

function conditionProblems(c: Condition, depth: number, out: string[]): number {
  if (depth > 10) return (void out.push('condition: nested more than 10 levels'), 1);
  if ('all' in c || 'any' in c) {
    const parts = 'all' in c ? c.all : c.any;
    if (!Array.isArray(parts) || !parts.length) return (void out.push('condition: an empty and/or'), 1);
    return parts.reduce((n, p) => n + conditionProblems(p, depth + 1, out), 0);
  }
  if (!METRICS.includes(c.metric)) out.push(`condition: unknown metric "${safeText(c.metric)}" (one of ${METRICS.join(', ')})`);
  if (!Number.isInteger(c.days) || c.days < 1 || c.days > 90) out.push(`condition: ${c.metric}(${c.days}d): windows are 1 to 90 days`);
  if (!['>', '>=', '<', '<='].includes(c.op)) out.push(`condition: unknown comparison "${safeText(c.op)}"`);
  if (typeof c.value !== 'number' || !Number.isFinite(c.value)) out.push(`condition: ${c.metric} needs a finite number to compare with`);
  return 1;
}

/**
 * Everything a rule must satisfy before it is saved (add and update use cases call this; the RulesWorkflow checks
 * stored rules again and records a bad one instead of failing): a name that is safe to show, an action that can
 * become a valid change request (no budget of 0 or below, percentages within -99%..+1000%), a known condition,
 * a bounded name pattern, a cooldown of at least MIN_COOLDOWN_HOURS, a schedule in range. Throws VALIDATION with
 * every problem found; returns the definition with empty scope lists dropped (an empty list means "no filter").
 */
export function validateRuleDefinition(def: RuleDefinition, name?: string): RuleDefinition {
  const problems: string[] = [];
  if (name !== undefined) {
    if (!name.trim()) problems.push('name: a rule needs a name');
    else if (safeText(name) !== name) problems.push('name: control characters are not allowed');
    if (name.length > MAX_RULE_NAME_LENGTH) problems.push(`name: at most ${MAX_RULE_NAME_LENGTH} characters`);
  }
  const a = def.action as RuleAction | undefined;
  if (!a || typeof a !== 'object') problems.push('action: missing');
  else if (a.type === 'budget_to') {
    let micros: bigint | undefined;
    try {
      micros = parseMoney(String(a.amount));
    } catch {
      problems.push(`action: "${safeText(a.amount)}" is not an amount`);
    }
    if (micros !== undefined && micros <= 0n) problems.push('action: a rule may not set a budget to 0 or below (use "pause" to stop spending)');
    else if (micros !== undefined && budgetProblem(String(a.amount))) problems.push(`action: ${budgetProblem(String(a.amount))}`);
  } else if (a.type === 'budget_pct') {
    if (typeof a.pct !== 'number' || !Number.isFinite(a.pct) || a.pct <= -1 || a.pct === 0 || a.pct > 10)
      problems.push('action: a budget change is between -99% and +1000%, not 0');
  } else if (a.type === 'bid_pct') {
    if (typeof a.pct !== 'number' || !Number.isFinite(a.pct) || a.pct <= -1 || a.pct === 0 || a.pct > 10)
      problems.push('action: a bid target change is between -99% and +1000%, not 0');
  } else if (a.type === 'bid_to') {
    if (typeof a.value !== 'string' || !/^\d+(\.\d{1,4})?$/.test(a.value) || !(Number(a.value) > 0))
      problems.push(`action: "${safeText(String(a.value))}" is not a bid target above 0 (e.g. 12.50, or 3.5 for a target ROAS)`);
  } else if (!['pause', 'resume', 'alert'].includes((a as { type: string }).type))
    problems.push(`action: unknown action "${safeText((a as { type: string }).type)}"`);
  if (!def.condition || typeof def.condition !== 'object') problems.push('condition: missing');
  else if (conditionProblems(def.condition, 0, problems) > 50) problems.push('condition: at most 50 comparisons');
  const scope = def.scope ?? {};
  for (const p of scope.platforms ?? []) if (!PLATFORMS.includes(p)) problems.push(`scope: unknown platform "${safeText(p)}" (one of ${PLATFORMS.join(', ')})`);
  for (const id of scope.accountIds ?? []) if (typeof id !== 'string' || !id.trim()) problems.push('scope: an account id is empty');
  if (scope.namePattern !== undefined) {
    if (!scope.namePattern.trim()) problems.push('scope: the name pattern is empty (leave it out to match every campaign)');
    if (scope.namePattern.length > MAX_PATTERN_LENGTH) problems.push(`scope: the name pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
    if (safeText(scope.namePattern) !== scope.namePattern) problems.push('scope: control characters are not allowed in the name pattern');
  }
  if (
    typeof def.cooldownHours !== 'number' ||
    !Number.isFinite(def.cooldownHours) ||
    def.cooldownHours < MIN_COOLDOWN_HOURS ||
    def.cooldownHours > MAX_COOLDOWN_HOURS
  )
    problems.push(`cooldown: ${MIN_COOLDOWN_HOURS} to ${MAX_COOLDOWN_HOURS} hours (a rule without a cooldown would open a request on every sync)`);
  if (typeof def.requiresApproval !== 'boolean') problems.push('requiresApproval: true or false');
  for (const d of def.schedule?.weekdays ?? []) if (!Number.isInteger(d) || d < 0 || d > 6) problems.push(`schedule: days are 0 (Sunday) to 6, got ${d}`);
  for (const h of def.schedule?.hours ?? []) if (!Number.isInteger(h) || h < 0 || h > 23) problems.push(`schedule: hours are 0 to 23, got ${h}`);
  if (problems.length) throw new AppError('VALIDATION', `invalid rule${name ? ` "${safeText(name)}"` : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    ...def,
    scope: {
      platforms: scope.platforms?.length ? scope.platforms : undefined,
      accountIds: scope.accountIds?.length ? scope.accountIds : undefined,
      namePattern: scope.namePattern,
    },
  };
}

/** What a rule does to each campaign in scope on `asOf` (metric windows end the day before). */
export function evaluateRule(
  rule: RuleDefinition,
  campaigns: RuleCampaign[],
  asOf: IsoDate,
  now: string,
  lastFiredAt: Record<string, string | undefined> = {},
): Firing[] {
  const pattern = rule.scope.namePattern;
  if (pattern !== undefined && pattern.length > MAX_PATTERN_LENGTH)
    throw new AppError('VALIDATION', `name pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const cooldownMs = Math.max(rule.cooldownHours || 0, MIN_COOLDOWN_HOURS) * 3_600_000;
  const out: Firing[] = [];
  const at = new Date(now);
  if (rule.schedule?.weekdays?.length && !rule.schedule.weekdays.includes(at.getUTCDay())) return out;
  if (rule.schedule?.hours?.length && !rule.schedule.hours.includes(at.getUTCHours())) return out;
  for (const c of campaigns) {
    if (rule.scope.platforms?.length && !rule.scope.platforms.includes(c.platform)) continue;
    if (rule.scope.accountIds?.length && !rule.scope.accountIds.includes(c.accountId)) continue;
    if (pattern && !globMatch(pattern, c.name)) continue;
    const r = check(c, rule.condition, asOf);
    if (!r.ok) continue;
    const f: Firing = { campaignId: c.id, campaignName: c.name, action: rule.action, explanation: r.why };
    const last = lastFiredAt[c.id];
    const changes = rule.action.type !== 'alert';
    if (last && Date.parse(now) - Date.parse(last) < cooldownMs) f.skipped = 'cooldown';
    else if ((rule.action.type === 'pause' && c.status !== 'ACTIVE') || (rule.action.type === 'resume' && c.status !== 'PAUSED')) f.skipped = 'not-applicable';
    else if (rule.action.type === 'bid_pct' || rule.action.type === 'bid_to') {
      // A bid action needs a bid target the campaign already bids with (writing another would switch strategies).
      if (c.status !== 'ACTIVE') f.skipped = 'not-applicable';
      else if (!c.bidTarget) {
        f.skipped = 'not-applicable';
        f.note = 'the campaign has no bid target (its bidding strategy sets none)';
      } else {
        const next = proposeBidTarget(c.bidTarget, rule.action.type === 'bid_to' ? { to: rule.action.value } : { by: rule.action.pct });
        f.fromBid = c.bidTarget;
        f.newBid = next;
        if (parseMoney(next.value) === parseMoney(c.bidTarget.value) || parseMoney(next.value) <= 0n) f.skipped = 'not-applicable';
      }
    } else if (changes && !c.dailyBudget) {
      // MBO changes only campaigns with a budget of their own (a shared budget is the platform's to split).
      f.skipped = 'not-applicable';
      f.note = 'the campaign has no daily budget of its own';
    } else if (rule.action.type === 'budget_pct' || rule.action.type === 'budget_to') {
      if (!c.dailyBudget || c.status !== 'ACTIVE') f.skipped = 'not-applicable';
      else {
        const cur = parseMoney(c.dailyBudget);
        const next = rule.action.type === 'budget_to' ? parseMoney(rule.action.amount) : (cur * BigInt(Math.round((1 + rule.action.pct) * 1e6))) / 1_000_000n;
        const cents = ((next + 5_000n) / 10_000n) * 10_000n;
        if (cents === cur || cents <= 0n) f.skipped = 'not-applicable';
        f.newBudget = formatMoney(cents);
      }
    }
    out.push(f);
  }
  return out;
}
