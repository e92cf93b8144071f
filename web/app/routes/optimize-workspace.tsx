// Optimize the whole workspace: objective, report currency and total budget → one plan across every platform
// (services/optimization/startWorkspaceOptimization as a dry run) → per platform current and planned share, per
// campaign from → to with the expected value and its 90% interval and the reasons → the plan explained in plain
// language (services/ai explainOptimization with the planId: Claude when ANTHROPIC_API_KEY is set, else the
// optimizer's own words, labelled) → "Request approval" runs the same plan for real, which opens one change request
// per account (each approved in the inbox).
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { startWorkspaceOptimizationSchema } from '../../../services/optimization/workspace-optimization.schema.ts';
import { Explanation, explanationView } from '../components/explanation';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { money, pct, PLATFORM_LABEL, ratio, when } from '../lib/format';
import { useSession } from '../lib/use-session';
import { getOptimizationPlan, isAppError, listAccounts, listOptimizationPlans, startWorkspaceOptimization } from '../lib/services.server';
import { explainOptimization, getAiRun } from '../lib/insights.server';
import { checkCsrf, requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Optimize the workspace · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const params = new URL(request.url).searchParams;
  const planId = params.get('plan');
  const explainId = params.get('explain');
  const [accounts, plans, plan, explanation] = await Promise.all([
    listAccounts(ctx),
    listOptimizationPlans(ctx, { limit: 10 }),
    planId ? getOptimizationPlan(ctx, { planId }) : Promise.resolve(null),
    explainId ? getAiRun(ctx, { runId: explainId }).catch(() => null) : Promise.resolve(null),
  ]);
  const currencies = [...new Set(accounts.map((a) => a.currency.trim()))].sort();
  return { currencies, plans: plans.items, plan, canRun: ctx.actor.roles.includes('analyst'), explanation: explanationView(explanation) };
}

interface Reason {
  message?: string;
  code?: string;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  try {
    if (form.get('intent') === 'explain') {
      const planId = String(form.get('planId') ?? '');
      const ai = await explainOptimization(user.ctx, { planId });
      return redirect(`/optimize/workspace?plan=${encodeURIComponent(planId)}&explain=${ai.id}`);
    }
    if (form.get('intent') === 'request') {
      // The same plan for real: its stored options, no sync (the data it was made from), dryRun off.
      const p = await getOptimizationPlan(user.ctx, { planId: String(form.get('planId') ?? '') });
      const o = p.options as {
        accountIds: string[];
        platformShare: Record<string, unknown> | null;
        locked: string[];
        margin: number | null;
        riskAversion: number | null;
        totalBudget: string | null;
      };
      const started = await startWorkspaceOptimization(user.ctx, {
        accounts: o.accountIds,
        objective: p.objective,
        reportCurrency: p.reportCurrency,
        ...(o.totalBudget ? { totalBudget: o.totalBudget } : {}),
        ...(o.margin !== null && p.objective === 'profit' ? { margin: o.margin } : {}),
        ...(o.riskAversion !== null ? { risk: o.riskAversion } : {}),
        ...(o.platformShare ? { bounds: o.platformShare } : {}),
        ...(o.locked.length ? { locked: o.locked } : {}),
        dryRun: false,
        sync: false,
      });
      const r = await started.handle.result();
      const failed = r.requests.filter((x) => x.error);
      if (!r.requests.some((x) => x.requestId))
        return data(
          { formError: failed.length ? failed.map((f) => f.error!.message).join('; ') : 'the plan moves no budget: nothing to request', reply: null },
          { status: 422 },
        );
      return redirect('/approvals');
    }
    const submission = parseWithZod(form, { schema: startWorkspaceOptimizationSchema });
    if (submission.status !== 'success') return data({ formError: null, reply: submission.reply() }, { status: 400 });
    const started = await startWorkspaceOptimization(user.ctx, { ...submission.value, dryRun: true, sync: form.get('sync') === 'on' });
    const r = await started.handle.result();
    return redirect(`/optimize/workspace?plan=${r.planId}`);
  } catch (e) {
    if (isAppError(e)) return data({ formError: e.message, reply: null }, { status: e.code === 'FORBIDDEN' ? 403 : 422 });
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    return data({ formError: `the optimization failed: ${cause ?? (e as Error).message}`, reply: null }, { status: 500 });
  }
}

export default function OptimizeWorkspace() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const { csrf } = useSession();
  const busy = nav.state !== 'idle';
  const [form, fields] = useForm({
    lastResult: result?.reply ?? undefined,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: startWorkspaceOptimizationSchema }),
    shouldValidate: 'onBlur',
    defaultValue: { objective: 'revenue', reportCurrency: d.currencies[0] },
  });
  const p = d.plan;
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Optimize the workspace</h1>
      <p className="text-sm">
        <a className="text-blue-800 underline" href="/optimize">
          One account at a time instead
        </a>
      </p>
      {result?.formError ? (
        <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-900">
          {result.formError}
        </p>
      ) : null}
      {d.canRun ? (
        <Card>
          <CardTitle>One plan across every platform</CardTitle>
          <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <input type="hidden" name="csrf" value={csrf} />
            <div className="space-y-1">
              <Label htmlFor={fields.objective.id}>Objective</Label>
              <Select {...getSelectProps(fields.objective)}>
                <option value="revenue">Revenue</option>
                <option value="conversions">Conversions</option>
                <option value="profit">Profit</option>
              </Select>
            </div>
            <div className="space-y-1">
              <Label htmlFor={fields.reportCurrency.id}>Report currency</Label>
              <Select {...getSelectProps(fields.reportCurrency)}>
                {d.currencies.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </Select>
              <FieldError id={fields.reportCurrency.errorId} errors={fields.reportCurrency.errors} />
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
              <input type="checkbox" name="sync" className="h-4 w-4" /> Sync the accounts first
            </label>
            <div className="sm:col-span-2 lg:col-span-4">
              <Button type="submit" name="intent" value="plan" disabled={busy}>
                {busy && nav.formData?.get('intent') === 'plan' ? 'Planning…' : 'Plan the workspace'}
              </Button>
            </div>
          </Form>
        </Card>
      ) : (
        <p className="rounded bg-slate-100 p-3 text-sm">Only analysts and above run optimizations; you can read the plans below.</p>
      )}
      {p ? (
        <Card data-testid="workspace-plan">
          <CardTitle>
            Plan {p.id.slice(0, 8)} ({p.objective}, {p.reportCurrency}) · {when(p.createdAt)}
          </CardTitle>
          <p className="text-sm">
            Expected {p.objective} per day: <strong>{ratio(p.expected.value)}</strong> (90%: {ratio(p.expected.low)} to {ratio(p.expected.high)}) against{' '}
            {ratio(p.expected.atCurrent)} today — <strong>{pct(p.expectedUplift)}</strong>; {p.moves} budget move{p.moves === 1 ? '' : 's'}
          </p>
          {p.warnings.length ? (
            <ul className="mt-1 list-disc pl-5 text-sm text-amber-900">
              {p.warnings.map((w, i) => (
                <li key={i}>{w}</li>
              ))}
            </ul>
          ) : null}
          <Table className="mt-2">
            <thead>
              <tr>
                <Th>Platform</Th>
                <Th>Daily budget now → planned ({p.reportCurrency})</Th>
                <Th>Share now → planned</Th>
              </tr>
            </thead>
            <tbody>
              {p.platforms.map((s) => (
                <tr key={s.platform}>
                  <Td>{PLATFORM_LABEL[s.platform] ?? s.platform}</Td>
                  <Td className="font-mono">
                    {money(s.current)} → {money(s.planned)}
                  </Td>
                  <Td>
                    {(s.currentShare * 100).toFixed(1)}% → {(s.plannedShare * 100).toFixed(1)}%
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
          <Table className="mt-2">
            <thead>
              <tr>
                <Th>Campaign</Th>
                <Th>From → to</Th>
                <Th>Expected (90% interval)</Th>
                <Th>Why</Th>
                <Th>Request</Th>
              </tr>
            </thead>
            <tbody>
              {p.campaigns.map((c) => {
                const acc = p.accounts.find((a) => a.accountId === c.accountId);
                return (
                  <tr key={c.campaignId} data-testid="plan-row" className={c.from === c.to ? 'text-slate-600' : ''}>
                    <Td>
                      {c.name} <span className="text-xs">({PLATFORM_LABEL[c.platform] ?? c.platform})</span>
                    </Td>
                    <Td className="font-mono whitespace-nowrap">
                      {money(c.from)} → <strong>{money(c.to)}</strong> {c.currency}
                    </Td>
                    <Td className="whitespace-nowrap">
                      {ratio(c.expected.value)} ({ratio(c.expected.low)}–{ratio(c.expected.high)})
                    </Td>
                    <Td className="text-xs">
                      {(c.reasons as unknown as (Reason | string)[])
                        .slice(0, 2)
                        .map((r) => (typeof r === 'string' ? r : (r.message ?? r.code ?? '')))
                        .join('; ')}
                    </Td>
                    <Td className="text-xs">{acc?.status ? acc.status.replace(/_/g, ' ').toLowerCase() : '—'}</Td>
                  </tr>
                );
              })}
            </tbody>
          </Table>
          <Explanation explanation={d.explanation} canAsk={d.canRun} target={{ name: 'planId', id: p.id }} />
          {d.canRun && p.dryRun && p.moves > 0 ? (
            <Form method="post" className="mt-3">
              <input type="hidden" name="csrf" value={csrf} />
              <input type="hidden" name="planId" value={p.id} />
              <Button type="submit" name="intent" value="request" disabled={busy}>
                {busy && nav.formData?.get('intent') === 'request' ? 'Requesting…' : 'Request approval'}
              </Button>
              <p className="mt-1 text-xs text-slate-700">Runs this plan again on the same data and opens one change request per account.</p>
            </Form>
          ) : null}
        </Card>
      ) : null}
      <Card>
        <CardTitle>Recent plans</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Objective</Th>
              <Th>By</Th>
              <Th>Kind</Th>
              <Th>Expected uplift</Th>
              <Th>Plan</Th>
            </tr>
          </thead>
          <tbody>
            {d.plans.map((r) => (
              <tr key={r.id}>
                <Td>{when(r.createdAt)}</Td>
                <Td>{r.objective}</Td>
                <Td>{r.requestedBy}</Td>
                <Td>{r.dryRun ? 'preview' : 'requested'}</Td>
                <Td>{pct(r.expectedUplift)}</Td>
                <Td>
                  <a className="text-blue-800 underline" href={`/optimize/workspace?plan=${r.id}`}>
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
