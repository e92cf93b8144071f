// Guardrails: the rules a budget change must pass before anyone may approve it, and whether it may skip the
// human. Pure and deterministic (the caller supplies the clock and the account's state), so the same result
// is computed in the workflow, stored with the request, and shown to the approver.
import { z } from 'zod';
import { BID_MAX_CHANGE, bidChangeCheck, type BidPlatform } from './bid-change.js';
import { AppError } from './errors.js';
import { formatMoney, parseMoney, type Micros } from './money.js';

export interface GuardrailPolicy {
  /** The sum of daily budgets in the account after the change may not exceed this (decimal string). */
  dailySpendCap?: string;
  /** Max change of one campaign's budget within a day, as a fraction of its budget at the start of the day. */
  maxChangePct?: number;
  /** No budget may go below this (decimal string). */
  minBudget?: string;
  /** No budget change within this many days of the campaign's previous one (platform learning phase). */
  learningPhaseDays?: number;
  /** At most this many applied changes per account per day. */
  maxChangesPerDay?: number;
  /** Windows in which no change may be requested or applied, in the account's time zone. */
  blackouts?: { from: string; to: string; weekdays?: number[] }[];
  /**
   * Changes that need no human: small budget moves, and — only when `emergencyPause` is switched on — pauses
   * declared as emergencies by a requester whose role is in `emergencyRoles` (default approver, admin).
   */
  autoApprove?: { maxChangePct?: number; maxAbsChange?: string; emergencyPause?: boolean; emergencyRoles?: MemberRole[] };
  /** The requester may not approve their own request. */
  fourEyes: boolean;
  /** A pending request expires after this many hours; a reminder goes out this many hours before. */
  approvalTtlHours: number;
  reminderBeforeHours: number;
  /** On a permanent failure: undo the items already applied (saga), or stop and record the partial state. */
  onFailure: 'rollback' | 'stop';
}

export type MemberRole = 'viewer' | 'analyst' | 'approver' | 'admin';
/** Who may declare an emergency pause that skips approval, when the policy allows such pauses at all. */
export const DEFAULT_EMERGENCY_ROLES: readonly MemberRole[] = ['approver', 'admin'];

const decimal = z.string().regex(/^\d+(\.\d{1,6})?$/, 'must be a decimal amount such as 250 or 250.50');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM');

/** What a workspace or account may set (all optional: unset fields inherit). Validated once, at the door. */
export const guardrailPolicySchema = z
  .object({
    dailySpendCap: decimal,
    maxChangePct: z.number().min(0).max(10),
    minBudget: decimal,
    learningPhaseDays: z.number().int().min(0).max(30),
    maxChangesPerDay: z.number().int().min(0).max(100_000),
    blackouts: z.array(z.object({ from: hhmm, to: hhmm, weekdays: z.array(z.number().int().min(0).max(6)).optional() })),
    autoApprove: z
      .object({
        maxChangePct: z.number().min(0).max(1).optional(),
        maxAbsChange: decimal.optional(),
        emergencyPause: z.boolean().optional(),
        emergencyRoles: z
          .array(z.enum(['viewer', 'analyst', 'approver', 'admin']))
          .max(4)
          .optional(),
      })
      .strict(),
    fourEyes: z.boolean(),
    approvalTtlHours: z
      .number()
      .positive()
      .max(24 * 30),
    reminderBeforeHours: z
      .number()
      .min(0)
      .max(24 * 30),
    onFailure: z.enum(['rollback', 'stop']),
  })
  .partial()
  .strict();

export function parseGuardrailPolicy(input: unknown): Partial<GuardrailPolicy> {
  const r = guardrailPolicySchema.safeParse(input);
  if (!r.success)
    throw new AppError('VALIDATION', `invalid guardrail policy:\n${r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n')}`);
  return r.data;
}

/** Milliseconds until the blackout window the account is in ends (0 when it is in none). */
export function blackoutRemainingMs(policy: GuardrailPolicy, localTime: string, localWeekday: number): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  const now = minutes(localTime);
  let wait = 0;
  for (const b of policy.blackouts ?? []) {
    if (b.weekdays && !b.weekdays.includes(localWeekday)) continue;
    const from = minutes(b.from);
    const to = minutes(b.to);
    const inside = from <= to ? now >= from && now < to : now >= from || now < to;
    if (inside) wait = Math.max(wait, ((to - now + 1440) % 1440) * 60_000);
  }
  return wait;
}

export const DEFAULT_POLICY: GuardrailPolicy = {
  maxChangePct: 0.5,
  minBudget: '1.00',
  learningPhaseDays: 0,
  maxChangesPerDay: 50,
  // Emergency pauses skip approval only when a policy switches it on (issue 11, finding 5).
  autoApprove: { maxChangePct: 0, emergencyPause: false },
  fourEyes: true,
  approvalTtlHours: 48,
  reminderBeforeHours: 12,
  onFailure: 'rollback',
};

/** Per-platform learning phases (days) applied when the policy does not say. */
export const LEARNING_PHASE_DAYS: Record<string, number> = { meta: 3, tiktok: 2, google_ads: 1, linkedin: 1 };

export type ChangeKind = 'budget' | 'pause' | 'resume' | 'bid';
export type BidKind = 'target_cpa' | 'target_roas' | 'bid_cap' | 'cost_cap' | 'bid';

export interface ChangeItemInput {
  campaignId: string;
  platform: string;
  kind: ChangeKind;
  /** Budget the requester saw (decimal string). */
  fromBudget: string;
  /** New budget (decimal string), for kind = budget. */
  toBudget?: string;
  /** For kind = bid: the target kind, the value the requester saw and the new value (decimal strings). */
  bidKind?: BidKind;
  fromBid?: string;
  toBid?: string;
}

export interface GuardrailContext {
  /** Now, as an ISO timestamp; and the account's local wall-clock time ("HH:MM") and weekday (0 = Sunday). */
  now: string;
  localTime: string;
  localWeekday: number;
  /** Current daily budgets of every active campaign in the account (decimal strings), for the spend cap. */
  accountBudgets: Record<string, string>;
  /** Budget of each campaign at the start of the account's day (decimal strings). */
  dayStartBudgets: Record<string, string>;
  /** Bid target of each campaign at the start of the account's day, where a bid change was applied since. */
  dayStartBids?: Record<string, string>;
  /** When each campaign's budget last changed (ISO), if ever. */
  lastChangeAt: Record<string, string | undefined>;
  changesToday: number;
  emergency?: boolean;
  /** The requester's role in the workspace, read from the database (none for rules and the optimizer). */
  requesterRole?: string;
}

export interface Violation {
  rule: 'daily_spend_cap' | 'max_change_pct' | 'min_budget' | 'learning_phase' | 'max_changes_per_day' | 'blackout' | 'invalid';
  item?: number;
  message: string;
}

export interface GuardrailResult {
  allowed: boolean;
  requiresApproval: boolean;
  violations: Violation[];
  notes: string[];
}

const money = (s: string, label: string): Micros => {
  try {
    return parseMoney(s);
  } catch {
    throw new AppError('VALIDATION', `${label} must be a decimal amount, got "${s}"`);
  }
};

/**
 * A bid item's guardrails: the pure rules of core/bid-change.ts (same strategy, positive, within the platform's
 * bound per change), the day's total move against the target at the start of the day within the smaller of the
 * policy's maxChangePct and that bound, and the learning phase after the campaign's previous change of any kind.
 */
function bidViolations(policy: GuardrailPolicy, it: ChangeItemInput, i: number, ctx: GuardrailContext): Violation[] {
  const out: Violation[] = [];
  const label = `${it.campaignId}: item ${i + 1}`;
  if (!it.bidKind || it.fromBid === undefined || it.toBid === undefined)
    return [{ rule: 'invalid', item: i, message: `${label}: a bid change needs the target kind, its current value and the new value` }];
  const platform = it.platform as BidPlatform;
  const bound = BID_MAX_CHANGE[platform] ?? 0.2;
  const problem = bidChangeCheck(platform, { kind: it.bidKind, value: it.fromBid }, { kind: it.bidKind, value: it.toBid }, bound);
  if (problem) out.push({ rule: problem.rule, item: i, message: `${label}: ${problem.message}` });
  const dayStart = ctx.dayStartBids?.[it.campaignId];
  if (!problem && dayStart !== undefined) {
    const start = money(dayStart, 'day-start bid target');
    const to = money(it.toBid, 'new bid target');
    const limit = Math.min(policy.maxChangePct ?? Infinity, bound);
    const pct = start > 0n ? Math.abs(Number(to - start)) / Number(start) : Infinity;
    if (pct > limit + 1e-9)
      out.push({
        rule: 'max_change_pct',
        item: i,
        message: `${label}: ${(pct * 100).toFixed(1)} % change of ${it.bidKind} today exceeds the ${Math.round(limit * 100)} % limit (day started at ${dayStart})`,
      });
  }
  const phase = policy.learningPhaseDays || LEARNING_PHASE_DAYS[it.platform] || 0;
  const last = ctx.lastChangeAt[it.campaignId];
  if (phase > 0 && last && Date.parse(ctx.now) - Date.parse(last) < phase * 86_400_000)
    out.push({
      rule: 'learning_phase',
      item: i,
      message: `${it.campaignId}: changed ${last.slice(0, 16).replace('T', ' ')}Z, within the ${phase}-day learning phase of ${it.platform}; the bid target waits`,
    });
  return out;
}

export function evaluateGuardrails(policy: GuardrailPolicy, items: ChangeItemInput[], ctx: GuardrailContext): GuardrailResult {
  const violations: Violation[] = [];
  const notes: string[] = [];
  if (!items.length) violations.push({ rule: 'invalid', message: 'a change request needs at least one item' });
  const seen = new Set<string>();
  const after: Record<string, Micros> = Object.fromEntries(Object.entries(ctx.accountBudgets).map(([k, v]) => [k, money(v, `budget of ${k}`)]));
  let small = true;
  const auto = policy.autoApprove;
  const mayDeclareEmergency = !!ctx.requesterRole && (auto?.emergencyRoles ?? DEFAULT_EMERGENCY_ROLES).includes(ctx.requesterRole as MemberRole);
  const emergencyAuto = !!ctx.emergency && !!auto?.emergencyPause && mayDeclareEmergency;
  if (ctx.emergency && !emergencyAuto)
    notes.push(
      !auto?.emergencyPause
        ? 'emergency declared; the policy does not auto-approve emergency pauses'
        : `emergency declared by a requester whose role (${ctx.requesterRole ?? 'none'}) may not skip approval`,
    );

  items.forEach((it, i) => {
    if (seen.has(it.campaignId)) violations.push({ rule: 'invalid', item: i, message: `campaign ${it.campaignId} appears twice in one request` });
    seen.add(it.campaignId);
    const from = money(it.fromBudget, 'from budget');
    if (it.kind === 'pause') {
      delete after[it.campaignId];
      if (!emergencyAuto) small = false;
      return;
    }
    if (it.kind === 'resume') {
      after[it.campaignId] = from;
      small = false;
      return;
    }
    if (it.kind === 'bid') {
      // A bid target never changes a budget (the spend cap is untouched) and always needs a human.
      small = false;
      for (const v of bidViolations(policy, it, i, ctx)) violations.push(v);
      return;
    }
    if (it.toBudget === undefined) return void violations.push({ rule: 'invalid', item: i, message: `item ${i + 1}: a budget change needs a new budget` });
    const to = money(it.toBudget, 'new budget');
    if (to < 0n) violations.push({ rule: 'invalid', item: i, message: `item ${i + 1}: a budget cannot be negative` });
    after[it.campaignId] = to;
    if (policy.minBudget && to < money(policy.minBudget, 'minBudget'))
      violations.push({ rule: 'min_budget', item: i, message: `${it.campaignId}: ${formatMoney(to)} is below the minimum budget ${policy.minBudget}` });
    const dayStart = money(ctx.dayStartBudgets[it.campaignId] ?? it.fromBudget, 'day-start budget');
    const pct = dayStart > 0n ? Math.abs(Number(to - dayStart)) / Number(dayStart) : to > 0n ? Infinity : 0;
    if (policy.maxChangePct !== undefined && pct > policy.maxChangePct + 1e-9)
      violations.push({
        rule: 'max_change_pct',
        item: i,
        message: `${it.campaignId}: ${(pct * 100).toFixed(0)}% change today exceeds the ${(policy.maxChangePct * 100).toFixed(0)}% limit (day started at ${formatMoney(dayStart)})`,
      });
    const phase = policy.learningPhaseDays || LEARNING_PHASE_DAYS[it.platform] || 0;
    const last = ctx.lastChangeAt[it.campaignId];
    if (phase > 0 && last && Date.parse(ctx.now) - Date.parse(last) < phase * 86_400_000)
      violations.push({
        rule: 'learning_phase',
        item: i,
        message: `${it.campaignId}: budget changed ${last.slice(0, 16).replace('T', ' ')}Z, within the ${phase}-day learning phase of ${it.platform}`,
      });
    const absOk = auto?.maxAbsChange !== undefined && (to > from ? to - from : from - to) <= money(auto.maxAbsChange, 'autoApprove.maxAbsChange');
    const pctOk = auto?.maxChangePct !== undefined && auto.maxChangePct > 0 && from > 0n && Math.abs(Number(to - from)) / Number(from) <= auto.maxChangePct;
    if (!(absOk || pctOk)) small = false;
  });

  if (policy.dailySpendCap) {
    const cap = money(policy.dailySpendCap, 'dailySpendCap');
    const total = Object.values(after).reduce((a, b) => a + b, 0n);
    if (total > cap)
      violations.push({ rule: 'daily_spend_cap', message: `account daily budgets would total ${formatMoney(total)}, above the cap ${policy.dailySpendCap}` });
  }
  if (policy.maxChangesPerDay !== undefined && ctx.changesToday + items.length > policy.maxChangesPerDay)
    violations.push({
      rule: 'max_changes_per_day',
      message: `${ctx.changesToday} changes already today; ${items.length} more would exceed the limit of ${policy.maxChangesPerDay}`,
    });
  for (const b of policy.blackouts ?? []) {
    const inDay = !b.weekdays || b.weekdays.includes(ctx.localWeekday);
    const inTime = b.from <= b.to ? ctx.localTime >= b.from && ctx.localTime < b.to : ctx.localTime >= b.from || ctx.localTime < b.to;
    if (inDay && inTime) violations.push({ rule: 'blackout', message: `blackout window ${b.from}–${b.to} (account time ${ctx.localTime})` });
  }
  const requiresApproval = !small;
  notes.push(requiresApproval ? 'needs a human approval' : 'auto-approved by policy');
  return { allowed: violations.length === 0, requiresApproval, violations, notes };
}
