// Rules: what the workspace's automation rules watch and do (services/rules.listRules), with a dry run of any rule
// (testRules: what it would do now, changing nothing — anyone may ask), and for analysts and above: create and edit
// (rule-edit.tsx), enable or disable, delete. The use cases check the role whatever the page shows.
import { Form, Link, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { FormNotice } from '../components/forms/result';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { PLATFORM_LABEL, when } from '../lib/format';
import { attempt, done, refused } from '../lib/form-action.server';
import { deleteRule, listRules, setRuleEnabled, testRules } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Rules · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const saved = new URL(request.url).searchParams.get('saved');
  return { rules: await listRules(ctx), canEdit: ctx.actor.roles.includes('analyst'), saved };
}

interface PlanView {
  rule: string | null;
  asOf: string | null;
  firings: {
    rule: string;
    campaignName: string;
    explanation: string;
    newBudget?: string;
    fromBid?: { kind: string; value: string };
    newBid?: { kind: string; value: string };
    skipped?: string;
    note?: string;
    action: { type: string };
  }[];
  ruleErrors: { rule: string; error: string }[];
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  const rule = String(form.get('rule') ?? '');
  switch (intent) {
    case 'test':
      return attempt(intent, async () => {
        const plan = await testRules(user.ctx, rule ? { rule } : {});
        const view: PlanView = {
          rule: rule ? String(form.get('ruleName') ?? rule) : null,
          asOf: plan.asOf,
          firings: plan.firings.map((f) => ({
            rule: f.rule,
            campaignName: f.campaignName,
            explanation: f.explanation,
            newBudget: f.newBudget,
            fromBid: f.fromBid,
            newBid: f.newBid,
            skipped: f.skipped,
            note: f.note,
            action: { type: f.action.type },
          })),
          ruleErrors: plan.ruleErrors.map((e) => ({ rule: e.rule, error: e.error })),
        };
        const acting = view.firings.filter((f) => !f.skipped).length;
        return done(intent, `Dry run: ${acting} campaign${acting === 1 ? '' : 's'} would be acted on now; nothing was changed.`, { extra: view });
      });
    case 'enable':
    case 'disable':
      return attempt(intent, async () => {
        const r = await setRuleEnabled(user.ctx, { rule, enabled: intent === 'enable' });
        return done(intent, `${r.name} is ${r.enabled ? 'enabled' : 'disabled'}.`);
      });
    case 'delete':
      return attempt(intent, async () => {
        await deleteRule(user.ctx, { rule });
        return done(intent, 'The rule was deleted (kept in the audit log).');
      });
    default:
      return refused(intent, `unknown form "${intent}"`);
  }
}

function actionLabel(f: PlanView['firings'][number]): string {
  const what = f.action.type.startsWith('budget') ? 'budget' : f.action.type.startsWith('bid') ? 'bid target' : f.action.type;
  const num = (v: string) => v.replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1');
  const kind = (k: string) => k.replace('_', ' ').replace(/cpa|roas/, (m) => m.toUpperCase());
  if (f.newBid) return `${what}: ${kind(f.newBid.kind)} ${f.fromBid ? `${num(f.fromBid.value)} → ` : ''}${num(f.newBid.value)}`;
  return f.newBudget ? `${what} → ${f.newBudget}` : what;
}

function DryRun({ plan }: { plan: PlanView }) {
  return (
    <Card data-testid="dry-run">
      <CardTitle>Dry run{plan.rule ? ` of “${plan.rule}”` : ' of every enabled rule'}</CardTitle>
      <p className="mb-2 text-sm text-slate-700">
        {plan.asOf ? `Metric windows end with the last synced day (before ${plan.asOf}).` : 'There is no synced data yet, so nothing would fire.'} Nothing was
        changed.
      </p>
      {plan.firings.length === 0 ? (
        <p className="text-sm" data-testid="dry-run-empty">
          No campaign meets the condition now.
        </p>
      ) : (
        <Table>
          <thead>
            <tr>
              <Th>Rule</Th>
              <Th>Campaign</Th>
              <Th>Would do</Th>
              <Th>Why</Th>
            </tr>
          </thead>
          <tbody>
            {plan.firings.map((f, i) => (
              <tr key={i} data-testid="dry-run-firing">
                <Td>{f.rule}</Td>
                <Td>{f.campaignName}</Td>
                <Td>{f.skipped ? <Badge tone="slate">skipped: {f.skipped.replace('-', ' ')}</Badge> : <Badge tone="amber">{actionLabel(f)}</Badge>}</Td>
                <Td className="text-xs">
                  {f.explanation}
                  {f.note ? <span className="block text-slate-600">{f.note}</span> : null}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {plan.ruleErrors.length ? (
        <ul className="mt-2 list-disc pl-5 text-sm text-red-800">
          {plan.ruleErrors.map((e, i) => (
            <li key={i}>
              {e.rule}: {e.error}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

export default function Rules() {
  const { rules, canEdit, saved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold">Rules</h1>
        <div className="ml-auto flex gap-2">
          <Form method="post">
            <input type="hidden" name="csrf" value={csrf} />
            <Button type="submit" name="intent" value="test" variant="outline" disabled={busy || rules.length === 0}>
              Dry run all
            </Button>
          </Form>
          {canEdit ? (
            <Button asChild>
              <Link to="/rules/new">New rule</Link>
            </Button>
          ) : null}
        </div>
      </div>
      {saved && !result ? (
        <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-900" data-testid="form-result">
          Saved “{saved}”.
        </p>
      ) : null}
      <FormNotice result={result} />
      {result?.ok && result.intent === 'test' ? <DryRun plan={result.extra as PlanView} /> : null}
      <Card>
        {rules.length === 0 ? (
          <p className="text-sm text-slate-700">No rules yet{canEdit ? ': create one with “New rule”.' : '.'}</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>When</Th>
                <Th>Then</Th>
                <Th>Scope</Th>
                <Th>Approval</Th>
                <Th>State</Th>
                <Th>Last fired</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id} data-testid="rule-row" data-rule={r.name}>
                  <Td>
                    {canEdit ? (
                      <Link className="text-blue-800 underline" to={`/rules/${r.id}`}>
                        {r.name}
                      </Link>
                    ) : (
                      r.name
                    )}
                  </Td>
                  <Td className="font-mono text-xs">{r.when}</Td>
                  <Td className="font-mono text-xs">{r.then}</Td>
                  <Td className="text-xs">
                    {[
                      r.scope.platforms?.map((p) => PLATFORM_LABEL[p] ?? p).join(', '),
                      r.scope.accounts?.length ? `${r.scope.accounts.length} account(s)` : null,
                      r.scope.namePattern ? `name ${r.scope.namePattern}` : null,
                    ]
                      .filter(Boolean)
                      .join(' · ') || 'every campaign'}
                    <span className="block text-slate-600">cooldown {r.cooldownHours} h</span>
                  </Td>
                  <Td>{r.requiresApproval ? 'required' : 'by policy'}</Td>
                  <Td>{r.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
                  <Td>{when(r.lastFiredAt)}</Td>
                  <Td>
                    <Form method="post" className="flex flex-wrap gap-1">
                      <input type="hidden" name="csrf" value={csrf} />
                      <input type="hidden" name="rule" value={r.id} />
                      <input type="hidden" name="ruleName" value={r.name} />
                      {r.enabled ? (
                        <Button type="submit" name="intent" value="test" size="sm" variant="outline" disabled={busy} aria-label={`Dry run ${r.name}`}>
                          Dry run
                        </Button>
                      ) : null}
                      {canEdit ? (
                        <>
                          <Button
                            type="submit"
                            name="intent"
                            value={r.enabled ? 'disable' : 'enable'}
                            size="sm"
                            variant="outline"
                            disabled={busy}
                            aria-label={`${r.enabled ? 'Disable' : 'Enable'} ${r.name}`}
                          >
                            {r.enabled ? 'Disable' : 'Enable'}
                          </Button>
                          <Button type="submit" name="intent" value="delete" size="sm" variant="destructive" disabled={busy} aria-label={`Delete ${r.name}`}>
                            Delete
                          </Button>
                        </>
                      ) : null}
                    </Form>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
