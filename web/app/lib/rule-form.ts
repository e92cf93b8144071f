// The rule form's condition builder (browser-safe): rows of metric(window) comparison value joined by AND or OR, an
// action picked from the forms the rules schema describes (services/rules/rules.schema.ts `then`), turned into the
// same `when`/`then` texts the CLI and API take and checked with core's own parsers on both sides. A new action
// form in the schema's description (e.g. a bid target) shows up in the picker without a change here.
import { z } from 'zod';
import { parseAction, parseCondition, type Comparator, type Condition, type RuleMetric } from '../../../core/rules.ts';
import { addRuleSchema } from '../../../services/rules/rules.schema.ts';

/** Every metric a condition may watch (a Record, so a metric added to core's RuleMetric fails the type check here). */
export const METRIC_LABEL: Record<RuleMetric, string> = {
  spend: 'Spend',
  revenue: 'Revenue',
  conversions: 'Conversions',
  clicks: 'Clicks',
  impressions: 'Impressions',
  cpa: 'CPA (cost per conversion)',
  roas: 'ROAS (revenue / spend)',
  cpc: 'CPC (cost per click)',
  ctr: 'CTR (clicks / impressions)',
  cvr: 'CVR (conversions / clicks)',
};
export const METRICS = Object.keys(METRIC_LABEL) as [RuleMetric, ...RuleMetric[]];
export const COMPARATORS = ['>', '>=', '<', '<='] as const satisfies readonly Comparator[];
export const COMPARATOR_LABEL: Record<Comparator, string> = { '>': 'above', '>=': 'at least', '<': 'below', '<=': 'at most' };

export interface ActionForm {
  /** The form with its number replaced by N, e.g. "budget N%". */
  id: string;
  label: string;
  prefix: string;
  suffix: string;
  /** The example number in the schema's description (null: the action takes none). */
  example: string | null;
  signed: boolean;
  /** What the schema says about it in brackets, e.g. "the campaign's bid target: target CPA/ROAS, bid or cost cap". */
  hint?: string;
}

export const CUSTOM_ACTION = 'custom';

/** The action forms the rules schema lists in its `then` description ("pause | resume | alert | budget -20% | …"). */
export function actionForms(): ActionForm[] {
  const described = addRuleSchema.shape.then.description ?? 'pause | resume | alert';
  return described
    .split('|')
    .map((t) => t.trim())
    .filter(Boolean)
    .map((alt) => {
      const bracket = /\s*\(([^)]*)\)\s*$/.exec(alt);
      const t = bracket ? alt.slice(0, bracket.index).trim() : alt;
      const hint = bracket ? { hint: bracket[1]!.trim() } : {};
      const m = /^(.*?)([+-]?\d+(?:\.\d+)?)(\s*%?)$/.exec(t);
      if (!m) return { id: t, label: t, prefix: t, suffix: '', example: null, signed: false, ...hint };
      const [, prefix = '', example = '', suffix = ''] = m;
      const signed = /^[+-]/.test(example);
      return { id: `${prefix}N${suffix}`, label: `${prefix}${signed ? '±N' : 'N'}${suffix}`, prefix, suffix, example, signed, ...hint };
    });
}

/** The action text for a picked form and amount. */
export function actionText(form: ActionForm | undefined, amount: string | number | undefined, custom: string | undefined): string {
  if (!form) return (custom ?? '').trim();
  if (form.example === null) return form.prefix;
  let a = String(amount ?? '').trim();
  if (form.signed && a && !/^[+-]/.test(a)) a = `+${a}`;
  return `${form.prefix}${a}${form.suffix}`;
}

/** Which form (and amount) a stored action text is, or the custom form with the text itself. */
export function actionOf(text: string, forms = actionForms()): { action: string; amount?: string; actionText?: string } {
  const t = text.trim().toLowerCase();
  for (const f of forms) {
    if (f.example === null) {
      if (t === f.prefix.toLowerCase()) return { action: f.id };
      continue;
    }
    const esc = (s: string) =>
      s
        .toLowerCase()
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/\s+/g, '\\s+');
    const m = new RegExp(`^${esc(f.prefix)}([+-]?\\d+(?:\\.\\d+)?)${esc(f.suffix)}$`).exec(t);
    if (m) return { action: f.id, amount: m[1] };
  }
  return { action: CUSTOM_ACTION, actionText: text };
}

export interface ConditionRow {
  metric: RuleMetric;
  days: number;
  op: Comparator;
  value: number;
}

/** A stored condition as builder rows, when it is one flat AND or OR list (else null: edit it as text). */
export function rowsOf(when: string): { join: 'and' | 'or'; conditions: ConditionRow[] } | null {
  let c: Condition;
  try {
    c = parseCondition(when);
  } catch {
    return null;
  }
  const leaf = (x: Condition): x is ConditionRow => 'metric' in x;
  if (leaf(c)) return { join: 'and', conditions: [c] };
  const parts = 'all' in c ? c.all : c.any;
  if (!parts.every(leaf)) return null;
  return { join: 'all' in c ? 'and' : 'or', conditions: parts.map(({ metric, days, op, value }) => ({ metric, days, op, value })) };
}

export const conditionRowSchema = z.object({
  metric: z.enum(METRICS, 'pick a metric'),
  days: z.number('the window in days').int().min(1, 'windows are 1 to 90 days').max(90, 'windows are 1 to 90 days'),
  op: z.enum(COMPARATORS, 'pick a comparison'),
  value: z.number('a number'),
});

const base = z.object({
  name: addRuleSchema.shape.name,
  mode: z.enum(['builder', 'text']).default('builder'),
  join: z.enum(['and', 'or']).default('and'),
  conditions: z.array(conditionRowSchema).max(10, 'at most 10 conditions').optional(),
  whenText: z.string().trim().max(2000).optional(),
  action: z.string('pick an action').min(1),
  amount: z.string().trim().max(30).optional(),
  actionText: z.string().trim().max(100).optional(),
  platforms: addRuleSchema.shape.platforms,
  namePattern: addRuleSchema.shape.namePattern,
  cooldownHours: addRuleSchema.shape.cooldownHours,
  requiresApproval: z.boolean().optional(),
});

/** The condition text the builder's rows (or the text field) say. */
export function whenOf(v: z.output<typeof base>): string {
  if (v.mode === 'text') return v.whenText ?? '';
  return (v.conditions ?? []).map((r) => `${r.metric}(${r.days}d) ${r.op} ${r.value}`).join(` ${v.join} `);
}

/** The form, checked with core's parsers (the same words the API would answer), and its rule fields. */
export const ruleFormSchema = base.superRefine((v, ctx) => {
  if (v.mode === 'builder' && !v.conditions?.length) ctx.addIssue({ code: 'custom', path: ['conditions'], message: 'add at least one condition' });
  else
    try {
      parseCondition(whenOf(v));
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: [v.mode === 'text' ? 'whenText' : 'conditions'], message: (e as Error).message });
    }
  const form = actionForms().find((f) => f.id === v.action);
  if (!form && v.action !== CUSTOM_ACTION) ctx.addIssue({ code: 'custom', path: ['action'], message: 'pick an action' });
  else if (form && form.example !== null && !v.amount) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'give the amount' });
  else
    try {
      parseAction(actionText(form, v.amount, v.actionText));
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: [form?.example !== null && form ? 'amount' : 'actionText'], message: (e as Error).message });
    }
});
export type RuleForm = z.output<typeof ruleFormSchema>;

/** The use case's input (services/rules addRule / updateRule changes) for a checked form. */
export function ruleInput(v: RuleForm) {
  const form = actionForms().find((f) => f.id === v.action);
  return {
    name: v.name,
    when: whenOf(v),
    then: actionText(form, v.amount, v.actionText),
    platforms: v.platforms ?? [],
    namePattern: v.namePattern,
    cooldownHours: v.cooldownHours,
    requiresApproval: v.requiresApproval ?? false,
  };
}
