// The approval inbox: pending change requests with their from → to diff, guardrail results, expected impact,
// requester and reason; approve or reject one or several with a comment (services/change-requests/decideChange —
// the use case refuses anyone but an approver, whatever the page shows); recent decisions with their live status
// and the link to each workflow in Temporal UI. A request the optimizer opened shows the expected impact its plan
// or run predicted (per day with the 90% interval, per campaign too) beside the requester's reason.
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { LiveStatus } from '../components/live-status';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Textarea } from '../components/ui/input';
import { Label } from '../components/ui/label';
import { decideFormSchema } from '../lib/decide.schema';
import { useSession } from '../lib/use-session';
import { money, pct, PLATFORM_LABEL, ratio, when } from '../lib/format';
import {
  decideChange,
  getOptimizationPlan,
  getOptimizationRun,
  isAppError,
  listChanges,
  listOptimizationPlans,
  listOptimizationRuns,
} from '../lib/services.server';
import { checkCsrf, requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Approvals · MBO' }];

interface Estimate {
  value: number;
  low: number;
  high: number;
}
/** What the optimization behind a request predicted: the request's own total per day, and per campaign. */
export interface Impact {
  source: string;
  href: string;
  objective: string;
  unit: string;
  expected: Estimate;
  atCurrent: number;
  campaigns: Record<string, Estimate>;
}

type Ctx = Awaited<ReturnType<typeof requireUser>>['ctx'];

/** The expected impact of the requests that came from a workspace plan or an account run (among the latest 20 of each). */
async function impacts(ctx: Ctx, ids: string[]): Promise<Record<string, Impact>> {
  const out: Record<string, Impact> = {};
  if (!ids.length) return out;
  const [plans, runs] = await Promise.all([listOptimizationPlans(ctx, { limit: 20 }), listOptimizationRuns(ctx, { limit: 20 })]);
  for (const p of plans.items.filter((x) => x.accounts.some((a) => a.requestId && ids.includes(a.requestId)))) {
    const plan = await getOptimizationPlan(ctx, { planId: p.id });
    for (const a of plan.accounts) {
      if (!a.requestId || !ids.includes(a.requestId)) continue;
      out[a.requestId] = {
        source: `workspace plan ${plan.id.slice(0, 8)}`,
        href: `/optimize/workspace?plan=${plan.id}`,
        objective: plan.objective,
        unit: plan.objective === 'conversions' ? '' : plan.reportCurrency,
        expected: a.expected,
        atCurrent: a.expectedAtCurrent,
        campaigns: Object.fromEntries(plan.campaigns.filter((c) => c.accountId === a.accountId).map((c) => [c.campaignId, c.expected])),
      };
    }
  }
  for (const r of runs.items.filter((x) => x.changeRequestId && ids.includes(x.changeRequestId) && !out[x.changeRequestId])) {
    const run = await getOptimizationRun(ctx, { runId: r.id });
    const res = run.result as {
      currency?: string;
      expectedTotal?: Estimate & { atCurrent: number };
      allocations?: { campaignId: string; expected?: Estimate }[];
    } | null;
    if (!res?.expectedTotal) continue;
    out[r.changeRequestId!] = {
      source: `account run ${r.id.slice(0, 8)}`,
      href: `/optimize?run=${r.id}`,
      objective: r.objective,
      unit: r.objective === 'conversions' ? '' : (res.currency ?? ''),
      expected: res.expectedTotal,
      atCurrent: res.expectedTotal.atCurrent,
      campaigns: Object.fromEntries((res.allocations ?? []).filter((a) => a.expected).map((a) => [a.campaignId, a.expected!])),
    };
  }
  return out;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  // /approvals/<id> (the link in chat notices and MCP answers): the same inbox, that request first and marked.
  const focus = params.id;
  const [pending, recent] = await Promise.all([
    listChanges(user.ctx, { status: 'PENDING_APPROVAL', limit: 100 }),
    listChanges(user.ctx, {
      status: ['APPROVED', 'APPLYING', 'APPLIED', 'REJECTED', 'BLOCKED', 'FAILED', 'PARTIALLY_APPLIED', 'ROLLED_BACK', 'EXPIRED', 'EVALUATING'],
      limit: 15,
    }),
  ]);
  const first = (r: { id: string }) => (focus && r.id.startsWith(focus) ? 0 : 1);
  const expected = await impacts(
    user.ctx,
    pending.items.filter((r) => r.source === 'optimizer').map((r) => r.id),
  );
  return {
    expected,
    pending: [...pending.items].sort((a, b) => first(a) - first(b)),
    recent: recent.items,
    canDecide: user.ctx.actor.roles.includes('approver'),
    me: user.ctx.actor.userId,
    focus: focus ?? null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const submission = parseWithZod(form, { schema: decideFormSchema });
  if (submission.status !== 'success')
    return data(
      {
        results: [],
        formError: Object.values(submission.error ?? {})
          .flat()
          .join('; '),
      },
      { status: 400 },
    );
  const { ids, intent, note } = submission.value;
  const results: { id: string; ok: boolean; message: string }[] = [];
  for (const id of ids) {
    try {
      const state = await decideChange(user.ctx, { requestId: id, approve: intent === 'approve', note });
      results.push({
        id,
        ok: true,
        message: `${intent === 'approve' ? 'approved' : 'rejected'} (${String((state as { status?: string }).status ?? '').toLowerCase()})`,
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      results.push({ id, ok: false, message: e.message });
    }
  }
  const refused = results.filter((r) => !r.ok);
  return data(
    { results, formError: null as string | null },
    { status: refused.length === results.length ? (refused.some((r) => /only approvers/.test(r.message)) ? 403 : 409) : 200 },
  );
}

type Request = Awaited<ReturnType<typeof loader>>['pending'][number];

function changePct(from: string, to: string | null): string {
  if (to === null) return '';
  const f = Number(from);
  const t = Number(to);
  if (!f) return '';
  const p = ((t - f) / f) * 100;
  return `${p >= 0 ? '+' : ''}${p.toFixed(1)}%`;
}

function Guardrails({ g }: { g: unknown }) {
  const r = g as { allowed?: boolean; requiresApproval?: boolean; violations?: { message: string; rule: string }[]; notes?: string[] } | null;
  if (!r) return <p className="text-sm text-slate-700">Guardrails not evaluated yet.</p>;
  return (
    <div className="text-sm">
      <p>
        Guardrails: {r.allowed ? <Badge tone="green">passed</Badge> : <Badge tone="red">violated</Badge>}{' '}
        {r.requiresApproval ? <span className="text-slate-700">approval required</span> : null}
      </p>
      {r.violations?.length ? (
        <ul className="mt-1 list-disc pl-5 text-red-800">
          {r.violations.map((v, i) => (
            <li key={i}>
              {v.rule}: {v.message}
            </li>
          ))}
        </ul>
      ) : null}
      {r.notes?.length ? (
        <ul className="mt-1 list-disc pl-5 text-slate-700">
          {r.notes.map((n, i) => (
            <li key={i}>{n}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

const BID_LABEL: Record<string, string> = { target_cpa: 'target CPA', target_roas: 'target ROAS', bid_cap: 'bid cap', cost_cap: 'cost cap', bid: 'bid' };

/** A bid item's target (present once the bid change kind is in the view): the kind, from → to, money or a ratio. */
type BidView = { kind: string; from: string; to: string; observed: string | null } | null | undefined;

function Arrow({ from, to, unit, show }: { from: string; to: string | null; unit: string; show: (v: string) => string }) {
  return (
    <>
      {show(from)} → <strong>{to === null ? '—' : show(to)}</strong>
      {unit ? ` ${unit}` : ''} <span className={Number(to) >= Number(from) ? 'text-green-800' : 'text-red-800'}>{changePct(from, to)}</span>
    </>
  );
}

function Diff({ r, impact }: { r: Request; impact?: Impact }) {
  return (
    <ul className="divide-y divide-slate-100">
      {r.items.map((i) => {
        const bid = (i as { bid?: BidView }).bid;
        const e = impact?.campaigns[i.campaign.id];
        return (
          <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-x-3 py-1 text-sm">
            <span className="min-w-0 break-words">
              {i.campaign.name} <span className="text-xs text-slate-600">({i.campaign.externalId})</span>
            </span>
            <span className="font-mono whitespace-nowrap" data-testid="diff">
              {i.kind === 'budget' ? (
                <>
                  <span className="sr-only">daily budget </span>
                  <Arrow from={i.fromBudget} to={i.toBudget} unit={r.account.currency} show={money} />
                </>
              ) : (i.kind as string) === 'bid' && bid ? (
                <>
                  <span className="font-sans text-xs text-slate-700">{BID_LABEL[bid.kind] ?? bid.kind} </span>
                  <Arrow
                    from={bid.from}
                    to={bid.to}
                    unit={bid.kind === 'target_roas' ? '' : r.account.currency}
                    show={bid.kind === 'target_roas' ? (v) => v : money}
                  />
                </>
              ) : (
                <strong>{i.kind}</strong>
              )}
            </span>
            {e && impact ? (
              <span className="w-full text-right text-xs text-slate-700" data-testid="item-expected">
                expected {impact.objective} {ratio(e.value)} ({ratio(e.low)}–{ratio(e.high)}) a day
              </span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function Expected({ impact }: { impact: Impact }) {
  const up = impact.atCurrent ? impact.expected.value / impact.atCurrent - 1 : null;
  const unit = impact.unit ? ` ${impact.unit}` : '';
  return (
    <p className="mt-1 text-sm" data-testid="expected-impact">
      <span className="font-medium">Expected impact:</span> {impact.objective} per day {ratio(impact.expected.value)}
      {unit} (90%: {ratio(impact.expected.low)}–{ratio(impact.expected.high)}) against {ratio(impact.atCurrent)} at today's budgets — <strong>{pct(up)}</strong>
      , from the{' '}
      <a className="text-blue-800 underline" href={impact.href}>
        {impact.source}
      </a>
    </p>
  );
}

export default function Approvals() {
  const { pending, recent, canDecide, me, focus, expected } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const nav = useNavigation();
  const busy = nav.state !== 'idle';
  const { csrf } = useSession();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Approvals</h1>
      {result ? (
        <div role="status" className="rounded border border-slate-300 bg-white p-3 text-sm" data-testid="decision-result">
          {result.formError ? <p className="text-red-800">{result.formError}</p> : null}
          {result.results.map((r) => (
            <p key={r.id} className={r.ok ? 'text-green-800' : 'text-red-800'}>
              {r.id.slice(0, 8)}: {r.message}
            </p>
          ))}
        </div>
      ) : null}
      {!canDecide ? (
        <p className="rounded bg-slate-100 p-3 text-sm text-slate-800" data-testid="read-only">
          You are a viewer or analyst here: you can read the requests; only approvers decide them.
        </p>
      ) : null}
      {pending.length === 0 ? <p className="text-slate-700">Nothing is waiting for a decision.</p> : null}
      {canDecide && pending.length > 1 ? (
        <Form method="post" id="bulk" className="flex flex-wrap items-end gap-2 rounded-lg border border-slate-200 bg-white p-3">
          <input type="hidden" name="csrf" value={csrf} />
          <div className="min-w-48 flex-1">
            <Label htmlFor="bulk-note">Comment for the selected requests</Label>
            <Textarea id="bulk-note" name="note" rows={1} />
          </div>
          <Button type="submit" name="intent" value="approve" variant="approve" disabled={busy}>
            Approve selected
          </Button>
          <Button type="submit" name="intent" value="reject" variant="destructive" disabled={busy}>
            Reject selected
          </Button>
        </Form>
      ) : null}
      <ul className="space-y-3">
        {pending.map((r) => (
          <li key={r.id}>
            <Card
              data-testid="pending-request"
              data-request-id={r.id}
              aria-current={focus && r.id.startsWith(focus) ? 'true' : undefined}
              className={focus && r.id.startsWith(focus) ? 'ring-2 ring-blue-600' : undefined}
            >
              <div className="flex flex-wrap items-start gap-2">
                {canDecide && pending.length > 1 ? (
                  <input type="checkbox" name="ids" value={r.id} form="bulk" aria-label={`select request ${r.id.slice(0, 8)}`} className="mt-1 h-5 w-5" />
                ) : null}
                <div className="min-w-0 flex-1">
                  <h2 className="font-semibold">
                    {PLATFORM_LABEL[r.account.platform] ?? r.account.platform} · {r.account.name}
                  </h2>
                  <p className="text-sm text-slate-700">
                    Requested by <strong>{r.requestedBy}</strong>
                    {r.requestedBy === me ? ' (you)' : ''} via {r.source} · {when(r.createdAt)}
                    {r.emergency ? ' · emergency' : ''}
                  </p>
                </div>
                <LiveStatus id={r.id} initial={r.status} />
              </div>
              <p className="mt-2 text-sm">
                <span className="font-medium">Reason:</span> {r.reason}
              </p>
              {expected[r.id] ? <Expected impact={expected[r.id]!} /> : null}
              <div className="mt-2">
                <Diff r={r} impact={expected[r.id]} />
              </div>
              <div className="mt-2">
                <Guardrails g={r.guardrails} />
              </div>
              <p className="mt-2 text-sm">
                <a className="text-blue-800 underline" href={r.workflowUrl} target="_blank" rel="noreferrer">
                  Workflow in Temporal UI
                </a>
              </p>
              {canDecide ? (
                <Form method="post" className="mt-3 space-y-2">
                  <input type="hidden" name="csrf" value={csrf} />
                  <input type="hidden" name="ids" value={r.id} />
                  <Label htmlFor={`note-${r.id}`}>Comment</Label>
                  <Textarea id={`note-${r.id}`} name="note" rows={2} />
                  <div className="flex gap-2">
                    <Button type="submit" name="intent" value="approve" variant="approve" disabled={busy} className="flex-1 sm:flex-none">
                      Approve
                    </Button>
                    <Button type="submit" name="intent" value="reject" variant="destructive" disabled={busy} className="flex-1 sm:flex-none">
                      Reject
                    </Button>
                  </div>
                </Form>
              ) : null}
            </Card>
          </li>
        ))}
      </ul>
      <h2 className="pt-2 text-lg font-semibold">Recent decisions</h2>
      <ul className="space-y-2">
        {recent.map((r) => (
          <li key={r.id}>
            <Card data-testid="recent-request" data-request-id={r.id} className="p-3">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                <LiveStatus id={r.id} initial={r.status} />
                <span>
                  {PLATFORM_LABEL[r.account.platform] ?? r.account.platform} · {r.items.length} item{r.items.length === 1 ? '' : 's'} · by {r.requestedBy}
                  {r.decidedBy ? ` · decided by ${r.decidedBy}` : ''}
                  {r.decisionNote ? ` (“${r.decisionNote}”)` : ''}
                </span>
                <a className="ml-auto text-blue-800 underline" href={r.workflowUrl} target="_blank" rel="noreferrer">
                  Temporal UI
                </a>
              </div>
              <Diff r={r} />
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
}
