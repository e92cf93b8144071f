// Create or edit a rule with the condition builder (web/app/lib/rule-form.ts): rows of metric, window, comparison
// and value joined by AND or OR, an action from the forms the rules schema describes, the scope, cooldown and
// approval. Validated with the same parsers on both sides (conform + zod) and saved through services/rules
// addRule / updateRule (analysts and above; the use case refuses anyone else).
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, Link, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select, Textarea } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { PLATFORM_LABEL } from '../lib/format';
import { addRule, getRule, isAppError, updateRule } from '../lib/forms.server';
import {
  actionForms,
  actionOf,
  actionText,
  COMPARATOR_LABEL,
  COMPARATORS,
  CUSTOM_ACTION,
  METRIC_LABEL,
  METRICS,
  ruleFormSchema,
  ruleInput,
  rowsOf,
  type RuleForm,
} from '../lib/rule-form';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = ({ params }: { params: { id?: string } }) => [{ title: `${params.id ? 'Edit rule' : 'New rule'} · MBO` }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const rule = params.id ? await getRule(ctx, { rule: params.id }) : null;
  return { rule, canEdit: ctx.actor.roles.includes('analyst') };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const submission = parseWithZod(form, { schema: ruleFormSchema });
  if (submission.status !== 'success') return data({ reply: submission.reply(), formError: null as string | null }, { status: 400 });
  try {
    const input = ruleInput(submission.value);
    const saved = params.id ? await updateRule(user.ctx, { rule: params.id, changes: input }) : await addRule(user.ctx, input);
    return redirect(`/rules?saved=${encodeURIComponent(saved.name)}`);
  } catch (e) {
    if (!isAppError(e)) throw e;
    return data({ reply: submission.reply(), formError: e.message }, { status: e.code === 'FORBIDDEN' ? 403 : e.code === 'CONFLICT' ? 409 : 422 });
  }
}

const FORMS = actionForms();
const PLATFORMS = Object.keys(PLATFORM_LABEL);

export default function RuleEdit() {
  const { rule, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const rows = rule ? rowsOf(rule.when) : null;
  const act = rule ? actionOf(rule.then, FORMS) : { action: FORMS[0]?.id ?? CUSTOM_ACTION };
  const [form, fields] = useForm({
    lastResult: result?.reply ?? undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ruleFormSchema }),
    shouldValidate: 'onBlur',
    shouldRevalidate: 'onInput',
    defaultValue: {
      name: rule?.name ?? '',
      mode: rule && !rows ? 'text' : 'builder',
      join: rows?.join ?? 'and',
      conditions: rows?.conditions ?? (rule ? [] : [{ metric: 'cpa', days: 7, op: '>', value: '' }]),
      whenText: rule && !rows ? rule.when : '',
      ...act,
      platforms: rule?.scope.platforms ?? [],
      namePattern: rule?.scope.namePattern ?? '',
      cooldownHours: rule?.cooldownHours ?? 24,
      requiresApproval: rule ? (rule.requiresApproval ? 'on' : '') : 'on',
    },
  });
  if (!canEdit)
    return (
      <p className="rounded bg-slate-100 p-3 text-sm" data-testid="read-only">
        Only analysts and above create or edit rules. <Link to="/rules">Back to the rules</Link>
      </p>
    );
  const conditions = fields.conditions.getFieldList();
  const v = (form.value ?? {}) as Partial<Record<keyof RuleForm, unknown>>;
  const mode = (v.mode as string) ?? fields.mode.initialValue ?? 'builder';
  const picked = FORMS.find((f) => f.id === (fields.action.value ?? act.action));
  // What the form says now, in the rule language (the texts the CLI and API take).
  const preview = (() => {
    const rows = (Array.isArray(v.conditions) ? v.conditions : []) as { metric?: string; days?: string; op?: string; value?: string }[];
    const when =
      mode === 'text'
        ? String(v.whenText ?? '')
        : rows.every((r) => r?.metric && r.days && r.op && r.value)
          ? rows.map((r) => `${r.metric}(${r.days}d) ${r.op} ${r.value}`).join(` ${String(v.join ?? 'and')} `)
          : '';
    const then = actionText(picked, v.amount as string | undefined, v.actionText as string | undefined);
    return when && then && !(picked && picked.example !== null && !v.amount) ? { when, then } : null;
  })();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">{rule ? `Edit rule “${rule.name}”` : 'New rule'}</h1>
      {result?.formError ? (
        <p role="alert" data-testid="form-result" className="rounded border border-red-300 bg-red-50 p-3 text-sm whitespace-pre-line text-red-900">
          {result.formError}
        </p>
      ) : null}
      <Form method="post" {...getFormProps(form)} className="space-y-4">
        <input type="hidden" name="csrf" value={csrf} />
        <input type="hidden" name={fields.mode.name} value={mode} />
        <Card className="space-y-3">
          <div className="max-w-md flex flex-col gap-1">
            <Label htmlFor={fields.name.id}>Name</Label>
            <Input {...getInputProps(fields.name, { type: 'text' })} />
            <FieldError id={fields.name.errorId} errors={fields.name.errors} />
          </div>
        </Card>
        <Card className="space-y-3">
          <CardTitle>When</CardTitle>
          {mode === 'text' ? (
            <div className="flex flex-col gap-1">
              <Label htmlFor={fields.whenText.id}>Condition</Label>
              <p className="text-xs text-slate-700">
                This condition mixes AND and OR, so it is edited as text, e.g. cpa(7d) &gt; 50 and (roas(14d) &lt; 1 or spend(7d) &gt; 200).
              </p>
              <Textarea {...getInputProps(fields.whenText, { type: 'text' })} rows={2} className="font-mono" />
              <FieldError id={fields.whenText.errorId} errors={fields.whenText.errors} />
            </div>
          ) : (
            <>
              <div className="flex flex-wrap items-center gap-2">
                <Label htmlFor={fields.join.id}>Fire when</Label>
                <Select {...getSelectProps(fields.join)} className="w-auto">
                  <option value="and">all of these hold (AND)</option>
                  <option value="or">any of these holds (OR)</option>
                </Select>
              </div>
              <ol className="space-y-2">
                {conditions.map((c, i) => {
                  const row = c.getFieldset();
                  return (
                    <li key={c.key} className="flex flex-wrap items-end gap-2 rounded border border-slate-200 p-2" data-testid="condition-row">
                      <div className="flex flex-col gap-1">
                        <Label htmlFor={row.metric.id}>Metric {i + 1}</Label>
                        <Select {...getSelectProps(row.metric)} className="w-56">
                          {METRICS.map((m) => (
                            <option key={m} value={m}>
                              {METRIC_LABEL[m]}
                            </option>
                          ))}
                        </Select>
                      </div>
                      <div className="w-28 flex flex-col gap-1">
                        <Label htmlFor={row.days.id}>Window {i + 1} (days)</Label>
                        <Input {...getInputProps(row.days, { type: 'number' })} min={1} max={90} />
                      </div>
                      <div className="flex flex-col gap-1">
                        <Label htmlFor={row.op.id}>Comparison {i + 1}</Label>
                        <Select {...getSelectProps(row.op)} className="w-36">
                          {COMPARATORS.map((o) => (
                            <option key={o} value={o}>
                              {COMPARATOR_LABEL[o]} ({o})
                            </option>
                          ))}
                        </Select>
                      </div>
                      <div className="w-32 flex flex-col gap-1">
                        <Label htmlFor={row.value.id}>Value {i + 1}</Label>
                        <Input {...getInputProps(row.value, { type: 'number' })} step="any" />
                      </div>
                      <Button
                        {...form.remove.getButtonProps({ name: fields.conditions.name, index: i })}
                        variant="ghost"
                        size="sm"
                        aria-label={`Remove condition ${i + 1}`}
                      >
                        Remove
                      </Button>
                      <div className="basis-full">
                        <FieldError
                          errors={[...(row.metric.errors ?? []), ...(row.days.errors ?? []), ...(row.op.errors ?? []), ...(row.value.errors ?? [])]}
                        />
                      </div>
                    </li>
                  );
                })}
              </ol>
              <Button
                {...form.insert.getButtonProps({ name: fields.conditions.name, defaultValue: { metric: 'spend', days: 7, op: '>', value: '' } })}
                variant="outline"
                size="sm"
                disabled={conditions.length >= 10}
              >
                Add condition
              </Button>
              <FieldError id={fields.conditions.errorId} errors={fields.conditions.errors} />
            </>
          )}
        </Card>
        <Card className="space-y-3">
          <CardTitle>Then</CardTitle>
          <div className="flex flex-wrap items-end gap-2">
            <div className="flex flex-col gap-1">
              <Label htmlFor={fields.action.id}>Action</Label>
              <Select {...getSelectProps(fields.action)} className="w-56">
                {FORMS.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.label}
                  </option>
                ))}
                <option value={CUSTOM_ACTION}>other (write it)</option>
              </Select>
            </div>
            {picked && picked.example !== null ? (
              <div className="w-36 flex flex-col gap-1">
                <Label htmlFor={fields.amount.id}>Amount{picked.suffix.trim() ? ` (${picked.suffix.trim()})` : ''}</Label>
                <Input {...getInputProps(fields.amount, { type: 'text' })} inputMode="decimal" placeholder={picked.example} />
              </div>
            ) : null}
            {!picked ? (
              <div className="w-56 flex flex-col gap-1">
                <Label htmlFor={fields.actionText.id}>Action text</Label>
                <Input {...getInputProps(fields.actionText, { type: 'text' })} className="font-mono" />
              </div>
            ) : null}
          </div>
          <FieldError
            id={fields.action.errorId}
            errors={[...(fields.action.errors ?? []), ...(fields.amount.errors ?? []), ...(fields.actionText.errors ?? [])]}
          />
        </Card>
        <Card className="grid gap-3 sm:grid-cols-2">
          <CardTitle className="sm:col-span-2">Scope and pace</CardTitle>
          <fieldset className="flex flex-col gap-1">
            <legend className="text-sm font-medium text-slate-800">Platforms (none: every platform)</legend>
            <div className="flex flex-wrap gap-3">
              {PLATFORMS.map((p) => (
                <label key={p} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    name={fields.platforms.name}
                    value={p}
                    defaultChecked={(rule?.scope.platforms ?? []).includes(p)}
                    className="h-4 w-4"
                  />
                  {PLATFORM_LABEL[p]}
                </label>
              ))}
            </div>
            <FieldError id={fields.platforms.errorId} errors={fields.platforms.errors} />
          </fieldset>
          <div className="flex flex-col gap-1">
            <Label htmlFor={fields.namePattern.id}>Campaign name pattern (optional; * any text, ? one character)</Label>
            <Input {...getInputProps(fields.namePattern, { type: 'text' })} placeholder="e.g. *Prospecting*" />
            <FieldError id={fields.namePattern.errorId} errors={fields.namePattern.errors} />
          </div>
          <div className="flex flex-col gap-1">
            <Label htmlFor={fields.cooldownHours.id}>Cooldown (hours before it may act on a campaign again)</Label>
            <Input {...getInputProps(fields.cooldownHours, { type: 'number' })} min={1} />
            <FieldError id={fields.cooldownHours.errorId} errors={fields.cooldownHours.errors} />
          </div>
          <label className="flex items-center gap-2 self-end text-sm">
            <input {...getInputProps(fields.requiresApproval, { type: 'checkbox' })} className="h-4 w-4" />A person approves every change it requests (else the
            guardrail policy decides)
          </label>
        </Card>
        {preview ? (
          <p className="rounded bg-slate-100 p-3 font-mono text-sm" data-testid="rule-preview">
            when {preview.when} → {preview.then}
          </p>
        ) : null}
        <div className="flex gap-2">
          <Button type="submit" disabled={busy}>
            {rule ? 'Save rule' : 'Create rule'}
          </Button>
          <Button asChild variant="outline">
            <Link to="/rules">Cancel</Link>
          </Button>
        </div>
      </Form>
    </div>
  );
}
