// Optimize: objective and budget for an account → the optimizer's plan (a dry run through the same use case and
// workflow as `mbo optimize` / POST /optimization-runs) → from → to per campaign with the expected value and its
// 90% interval and the reasons → the plan explained in plain language (services/ai explainOptimization: by Claude
// when ANTHROPIC_API_KEY is set, else the optimizer's own explanation, labelled as such) → "Request approval" opens
// a change request (services/change-requests).
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { reasonSchema } from '../../../services/common.schema.ts';
import { startOptimizationSchema } from '../../../services/optimization/optimization.schema.ts';
import { Explanation, explanationView } from '../components/explanation';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select, Textarea } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { money, pct, PLATFORM_LABEL, ratio, when } from '../lib/format';
import { useSession } from '../lib/use-session';
import { explainOptimization, getAiRun } from '../lib/insights.server';
import { getOptimizationRun, isAppError, listAccounts, listOptimizationRuns, requestChange, startOptimization } from '../lib/services.server';
import { checkCsrf, requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Optimize · MBO' }];

interface Allocation {
  campaignId: string;
  name: string;
  platform: string;
  currentDailyBudget: number;
  dailyBudget: number;
  changePct: number;
  expected: { value: number; low: number; high: number };
  expectedAtCurrent: number;
  reasons: ({ message?: string; code?: string } | string)[];
}
interface Plan {
  objective: string;
  currency: string;
  allocations: Allocation[];
  expectedTotal: { value: number; low: number; high: number; atCurrent: number; uplift: number };
  warnings: string[];
}

/** The moves worth a request: at least 1.00 and 1% (the optimizer workflow's own threshold). */
const moves = (p: Plan) =>
  p.allocations.filter((a) => {
    const d = Math.abs(Math.round(a.dailyBudget * 100) - Math.round(a.currentDailyBudget * 100));
    return d >= 100 && d >= Math.round(a.currentDailyBudget * 100) / 100;
  });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const params = new URL(request.url).searchParams;
  const runId = params.get('run');
  const explainId = params.get('explain');
  const [accounts, runs, run, explanation] = await Promise.all([
    listAccounts(ctx),
    listOptimizationRuns(ctx, { limit: 10 }),
    runId ? getOptimizationRun(ctx, { runId }) : Promise.resolve(null),
    explainId ? getAiRun(ctx, { runId: explainId }).catch(() => null) : Promise.resolve(null),
  ]);
  const plan = run ? (run.result as unknown as Plan) : null;
  return {
    accounts: accounts.map((a) => ({ id: a.id, name: a.name, platform: a.platform, currency: a.currency })),
    runs: runs.items,
    run: run ? { id: run.id, objective: run.objective, dryRun: run.dryRun, changeRequestId: run.changeRequestId, createdAt: run.createdAt } : null,
    plan,
    moves: plan ? moves(plan).map((a) => a.campaignId) : [],
    canRun: ctx.actor.roles.includes('analyst'),
    explanation: explanationView(explanation),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  if (form.get('intent') === 'explain') {
    const runId = String(form.get('runId') ?? '');
    try {
      const ai = await explainOptimization(user.ctx, { runId });
      return redirect(`/optimize?run=${encodeURIComponent(runId)}&explain=${ai.id}`);
    } catch (e) {
      if (isAppError(e)) return data({ formError: `the explanation failed: ${e.message}`, reply: null }, { status: e.code === 'FORBIDDEN' ? 403 : 422 });
      throw e;
    }
  }
  if (form.get('intent') === 'request') {
    const reason = reasonSchema.safeParse(form.get('reason'));
    if (!reason.success) return data({ formError: reason.error.issues[0]!.message, reply: null }, { status: 400 });
    try {
      const run = await getOptimizationRun(user.ctx, { runId: String(form.get('runId') ?? '') });
      const plan = run.result as unknown as Plan;
      const items = moves(plan).map((a) => ({ kind: 'budget' as const, campaign: a.campaignId, toBudget: a.dailyBudget.toFixed(2) }));
      if (!items.length) return data({ formError: 'the plan moves no budget: nothing to request', reply: null }, { status: 422 });
      await requestChange(user.ctx, { reason: reason.data, items });
      return redirect('/approvals');
    } catch (e) {
      if (isAppError(e)) return data({ formError: e.message, reply: null }, { status: e.code === 'FORBIDDEN' ? 403 : 422 });
      throw e;
    }
  }
  const submission = parseWithZod(form, { schema: startOptimizationSchema });
  if (submission.status !== 'success') return data({ formError: null, reply: submission.reply() }, { status: 400 });
  try {
    const started = await startOptimization(user.ctx, { ...submission.value, dryRun: true, sync: form.get('sync') === 'on' });
    const result = await started.handle.result();
    return redirect(`/optimize?run=${result.runId}`);
  } catch (e) {
    if (isAppError(e)) return data({ formError: e.message, reply: submission.reply() }, { status: e.code === 'FORBIDDEN' ? 403 : 422 });
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return data({ formError: `the optimization failed: ${cause ?? (e as Error).message}`, reply: submission.reply() }, { status: 500 });
  }
}

function reasonText(r: Allocation['reasons'][number]): string {
  return typeof r === 'string' ? r : (r.message ?? r.code ?? JSON.stringify(r));
}

export default function Optimize() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const { csrf } = useSession();
  const busy = nav.state !== 'idle';
  const [form, fields] = useForm({
    lastResult: result?.reply ?? undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: startOptimizationSchema }),
    shouldValidate: 'onBlur',
    defaultValue: { objective: 'revenue', account: d.accounts[0]?.id },
  });
  const plan = d.plan;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Optimize</h1>
      <p className="text-sm">
        <a className="text-blue-800 underline" href="/optimize/workspace">
          Optimize the whole workspace (every platform in one plan)
        </a>
      </p>
      {result?.formError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {result.formError}
        </p>
      ) : null}
      {d.canRun ? (
        <Card>
          <CardTitle>Plan an account's budgets</CardTitle>
          <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <input type="hidden" name="csrf" value={csrf} />
            <div className="space-y-1">
              <Label htmlFor={fields.account.id}>Account</Label>
              <Select {...getSelectProps(fields.account)}>
                {d.accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {PLATFORM_LABEL[a.platform] ?? a.platform} · {a.name}
                  </option>
                ))}
              </Select>
              <FieldError id={fields.account.errorId} errors={fields.account.errors} />
            </div>
            <div className="space-y-1">
              <Label htmlFor={fields.objective.id}>Objective</Label>
              <Select {...getSelectProps(fields.objective)}>
                <option value="revenue">Revenue</option>
                <option value="conversions">Conversions</option>
                <option value="profit">Profit</option>
              </Select>
            </div>
            <div className="space-y-1">
              <Label htmlFor={fields.totalBudget.id}>Total daily budget (optional)</Label>
              <Input {...getInputProps(fields.totalBudget, { type: 'text' })} inputMode="decimal" placeholder="today's total" />
              <FieldError id={fields.totalBudget.errorId} errors={fields.totalBudget.errors} />
            </div>
            <div className="space-y-1">
              <Label htmlFor={fields.margin.id}>Margin (profit only)</Label>
              <Input {...getInputProps(fields.margin, { type: 'text' })} inputMode="decimal" placeholder="0.3" />
              <FieldError id={fields.margin.errorId} errors={fields.margin.errors} />
            </div>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="sync" className="h-4 w-4" /> Sync the account first
            </label>
            <div className="sm:col-span-2 lg:col-span-4">
              <Button type="submit" name="intent" value="run" disabled={busy}>
                {busy && nav.formData?.get('intent') === 'run' ? 'Optimizing…' : 'Run optimization'}
              </Button>
            </div>
          </Form>
        </Card>
      ) : (
        <p className="rounded bg-slate-100 p-3 text-sm">Only analysts and above run optimizations; you can read the plans below.</p>
      )}
      {plan && d.run ? (
        <Card data-testid="plan">
          <CardTitle>
            Plan ({plan.objective}, {plan.currency}) · run {d.run.id.slice(0, 8)} · {when(d.run.createdAt)}
          </CardTitle>
          <p className="text-sm">
            Expected {plan.objective} per day: <strong>{ratio(plan.expectedTotal.value, 2)}</strong> (90%: {ratio(plan.expectedTotal.low, 2)} to{' '}
            {ratio(plan.expectedTotal.high, 2)}) against {ratio(plan.expectedTotal.atCurrent, 2)} today — <strong>{pct(plan.expectedTotal.uplift)}</strong>
          </p>
          {plan.warnings.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm text-amber-900">
              {plan.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
          <Table className="mt-2">
            <thead>
              <tr>
                <Th>Campaign</Th>
                <Th>From → to</Th>
                <Th>Change</Th>
                <Th>Expected (90% interval)</Th>
                <Th>Why</Th>
              </tr>
            </thead>
            <tbody>
              {plan.allocations.map((a) => (
                <tr key={a.campaignId} data-testid="plan-row" className={d.moves.includes(a.campaignId) ? '' : 'text-slate-600'}>
                  <Td>
                    {a.name} <span className="text-xs">({PLATFORM_LABEL[a.platform] ?? a.platform})</span>
                  </Td>
                  <Td className="font-mono whitespace-nowrap">
                    {money(a.currentDailyBudget)} → <strong>{money(a.dailyBudget)}</strong>
                  </Td>
                  <Td>{a.currentDailyBudget ? pct(a.dailyBudget / a.currentDailyBudget - 1) : '—'}</Td>
                  <Td className="whitespace-nowrap">
                    {ratio(a.expected.value)} ({ratio(a.expected.low)}–{ratio(a.expected.high)})
                  </Td>
                  <Td className="text-xs">{a.reasons.slice(0, 2).map(reasonText).join('; ')}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Explanation explanation={d.explanation} canAsk={d.canRun} target={{ name: 'runId', id: d.run.id }} />
          {d.canRun && d.moves.length && !d.run.changeRequestId ? (
            <Form method="post" className="mt-3 space-y-2">
              <input type="hidden" name="csrf" value={csrf} />
              <input type="hidden" name="runId" value={d.run.id} />
              <Label htmlFor="reason">Reason for the approvers</Label>
              <Textarea
                id="reason"
                name="reason"
                rows={2}
                defaultValue={`optimizer (${plan.objective}): expected ${pct(plan.expectedTotal.uplift)} ${plan.objective} per day`}
              />
              <Button type="submit" name="intent" value="request" disabled={busy}>
                Request approval ({d.moves.length} change{d.moves.length === 1 ? '' : 's'})
              </Button>
            </Form>
          ) : null}
        </Card>
      ) : null}
      <Card>
        <CardTitle>Recent runs</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Objective</Th>
              <Th>By</Th>
              <Th>Expected uplift</Th>
              <Th>Plan</Th>
            </tr>
          </thead>
          <tbody>
            {d.runs.map((r) => (
              <tr key={r.id}>
                <Td>{when(r.createdAt)}</Td>
                <Td>{r.objective}</Td>
                <Td>{r.requestedBy}</Td>
                <Td>{pct(r.expectedUplift)}</Td>
                <Td>
                  <a className="text-blue-800 underline" href={`/optimize?run=${r.id}`}>
                    Open
                  </a>
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
