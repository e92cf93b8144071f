// The optimizer's input contract (../shared/optimizer/README.md), validated once at the door with zod.
// Extensions beyond the shared format are optional: target-ROAS/CPA modes, per-platform share bounds, risk.
import { z } from 'zod';
import { daysBetween, isDateInBounds, MAX_DATE, MIN_DATE } from '../dates.js';
import { AppError } from '../errors.js';

/** Size bounds (issue 11, finding 10): far above the benchmark's 2,000 campaigns × 120 days, far below what hurts. */
export const MAX_SCENARIO_CAMPAIGNS = 100_000;
/** Per campaign: at most this many daily rows, spanning at most this many days (ten years). */
export const MAX_HISTORY_DAYS = 3_660;
export const MAX_SCENARIO_ROWS = 1_000_000;

const money = z.number().finite().nonnegative();
const row = z.object({
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
    .refine(isDateInBounds, `date must be a real calendar date between ${MIN_DATE} and ${MAX_DATE}`),
  spend: money,
  impressions: z.number().nonnegative().optional(),
  clicks: z.number().nonnegative().optional(),
  conversions: z.number().finite().nonnegative(),
  revenue: money,
});

export const scenarioSchema = z
  .object({
    name: z.string().default('scenario'),
    currency: z.string().length(3).default('USD'),
    asOf: z.string().refine(isDateInBounds, `asOf must be a real calendar date between ${MIN_DATE} and ${MAX_DATE}`).optional(),
    objective: z.enum(['revenue', 'conversions', 'profit']),
    /** Flexible mode: keep spending only while the marginal ROAS stays ≥ target (revenue) / marginal CPA ≤ target (conversions). */
    target: z.object({ metric: z.enum(['roas', 'cpa']), value: z.number().positive() }).optional(),
    constraints: z.object({
      totalDailyBudget: money,
      maxChangePct: z.number().min(0).max(10).optional(),
      platformShare: z.record(z.string(), z.object({ min: z.number().min(0).max(1).optional(), max: z.number().min(0).max(1).optional() })).optional(),
    }),
    /** Risk aversion: how many standard deviations of model uncertainty a plan pays for (default 0.5). */
    riskAversion: z.number().min(0).max(5).optional(),
    campaigns: z
      .array(
        z.object({
          id: z.string().min(1),
          platform: z.string().default('unknown'),
          name: z.string().optional(),
          currentDailyBudget: money,
          minDailyBudget: money.optional(),
          maxDailyBudget: money.optional(),
          locked: z.boolean().optional(),
          margin: z.number().min(0).max(1).optional(),
          history: z.array(row).max(MAX_HISTORY_DAYS, `at most ${MAX_HISTORY_DAYS} daily rows per campaign`).default([]),
        }),
      )
      .min(1, 'a scenario needs at least one campaign')
      .max(MAX_SCENARIO_CAMPAIGNS, `at most ${MAX_SCENARIO_CAMPAIGNS} campaigns`),
  })
  .superRefine((s, ctx) => {
    const ids = new Set<string>();
    let rows = 0;
    s.campaigns.forEach((c, i) => {
      rows += c.history.length;
      if (c.history.length > 1) {
        let first = c.history[0]!.date;
        let last = first;
        for (const r of c.history) {
          if (r.date < first) first = r.date;
          if (r.date > last) last = r.date;
        }
        if (daysBetween(first, last) >= MAX_HISTORY_DAYS)
          ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'history'], message: `history spans ${first} to ${last}; at most ${MAX_HISTORY_DAYS} days` });
      }
      if (ids.has(c.id)) ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'id'], message: `duplicate campaign id "${c.id}"` });
      ids.add(c.id);
      if (c.minDailyBudget != null && c.maxDailyBudget != null && c.minDailyBudget > c.maxDailyBudget)
        ctx.addIssue({ code: 'custom', path: ['campaigns', i], message: `minDailyBudget ${c.minDailyBudget} > maxDailyBudget ${c.maxDailyBudget}` });
      if (s.objective === 'profit' && c.margin == null)
        ctx.addIssue({ code: 'custom', path: ['campaigns', i, 'margin'], message: 'profit objective needs a margin per campaign' });
    });
    if (rows > MAX_SCENARIO_ROWS)
      ctx.addIssue({ code: 'custom', path: ['campaigns'], message: `${rows} history rows; at most ${MAX_SCENARIO_ROWS} in one scenario` });
    if (s.target && s.objective === 'profit')
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a ROAS/CPA target applies to revenue or conversions, not profit' });
    if (s.target?.metric === 'roas' && s.objective !== 'revenue')
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a ROAS target needs the revenue objective' });
    if (s.target?.metric === 'cpa' && s.objective !== 'conversions')
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'a CPA target needs the conversions objective' });
  });

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioCampaign = Scenario['campaigns'][number];

export function parseScenario(input: unknown): Scenario {
  const r = scenarioSchema.safeParse(input);
  if (!r.success) {
    const lines = r.error.issues.slice(0, 12).map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new AppError('VALIDATION', `invalid scenario:\n${lines.join('\n')}`);
  }
  return r.data;
}

/** The feasible range of a campaign, exactly as the shared format defines it. */
export function bounds(s: Scenario, c: ScenarioCampaign): [number, number] {
  const cur = c.currentDailyBudget;
  if (c.locked) return [cur, cur];
  const pct = s.constraints.maxChangePct;
  let lo = c.minDailyBudget ?? 0;
  let hi = c.maxDailyBudget ?? Infinity;
  if (pct != null) {
    lo = Math.max(lo, cur * (1 - pct));
    hi = Math.min(hi, cur * (1 + pct));
  }
  return [lo, Math.min(hi, s.constraints.totalDailyBudget)];
}
