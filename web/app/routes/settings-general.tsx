// Settings → General: the workspace's accounts and their connection state (services/accounts) and the guardrail
// policy in force (getGuardrails, with where each setting comes from); admins change it here (setGuardrails —
// audited; the use case refuses anyone else). Blackout windows and per-account policies stay with the CLI and API.
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useActionData, useLoaderData, useNavigation, Form, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { FormNotice } from '../components/forms/result';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { PLATFORM_LABEL, when } from '../lib/format';
import { attempt, done, firstError, refused } from '../lib/form-action.server';
import { getGuardrails, listAccounts, setGuardrails } from '../lib/forms.server';
import { guardrailFormSchema, policyChanges } from '../lib/guardrail-form';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const [accounts, guardrails] = await Promise.all([listAccounts(ctx), getGuardrails(ctx, {})]);
  return {
    accounts,
    policy: guardrails.policy as unknown as Record<string, unknown> & { autoApprove?: Record<string, unknown> },
    origin: guardrails.origin,
    learning: guardrails.platformDefaults.learningPhaseDays,
    admin: ctx.actor.roles.includes('admin'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const submission = parseWithZod(form, { schema: guardrailFormSchema });
  if (submission.status !== 'success') return refused('guardrails', firstError(submission.error));
  return attempt('guardrails', async () => {
    const current = await getGuardrails(user.ctx, {});
    const changes = policyChanges(submission.value, current.policy as unknown as Record<string, unknown>);
    if (!Object.keys(changes).length) return refused('guardrails', 'nothing to change: the form says what the policy already says', 409);
    await setGuardrails(user.ctx, { changes });
    return done('guardrails', `Guardrail policy saved (${Object.keys(changes).join(', ')}).`);
  });
}

const LABEL: Record<string, string> = {
  maxChangePct: 'Largest change per request (fraction: 0.5 = ±50%)',
  minBudget: 'Smallest daily budget',
  dailySpendCap: 'Daily spend cap per account (sum of budgets)',
  learningPhaseDays: 'Learning phase, days without changes (0: each platform’s own)',
  maxChangesPerDay: 'Most changes per campaign per day',
  approvalTtlHours: 'Hours before a pending request expires',
  reminderBeforeHours: 'Remind approvers this many hours before expiry',
  onFailure: 'When applying fails',
  fourEyes: 'Four eyes: a requester may not approve their own request',
  autoMaxChangePct: 'Auto-approve changes up to (fraction; 0: never)',
  emergencyPause: 'Emergency pauses skip approval',
};

function show(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export default function SettingsGeneral() {
  const d = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const p = d.policy;
  const [form, fields] = useForm({
    onValidate: ({ formData }) => parseWithZod(formData, { schema: guardrailFormSchema }),
    shouldValidate: 'onBlur',
    defaultValue: {
      maxChangePct: p.maxChangePct as number,
      minBudget: p.minBudget as string,
      dailySpendCap: (p.dailySpendCap as string | undefined) ?? '',
      learningPhaseDays: p.learningPhaseDays as number,
      maxChangesPerDay: p.maxChangesPerDay as number,
      approvalTtlHours: p.approvalTtlHours as number,
      reminderBeforeHours: p.reminderBeforeHours as number,
      onFailure: p.onFailure as 'rollback' | 'stop',
      fourEyes: p.fourEyes ? 'on' : '',
      autoMaxChangePct: (p.autoApprove?.maxChangePct as number | undefined) ?? 0,
      emergencyPause: p.autoApprove?.emergencyPause ? 'on' : '',
    } as never,
  });
  const num = (
    name: 'maxChangePct' | 'learningPhaseDays' | 'maxChangesPerDay' | 'approvalTtlHours' | 'reminderBeforeHours' | 'autoMaxChangePct',
    step = 'any',
  ) => (
    <div className="space-y-1">
      <Label htmlFor={fields[name].id}>{LABEL[name]}</Label>
      <Input {...getInputProps(fields[name], { type: 'number' })} step={step} />
      <FieldError id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  );
  const text = (name: 'minBudget' | 'dailySpendCap') => (
    <div className="space-y-1">
      <Label htmlFor={fields[name].id}>{LABEL[name]}</Label>
      <Input {...getInputProps(fields[name], { type: 'text' })} inputMode="decimal" placeholder={name === 'dailySpendCap' ? 'no cap' : undefined} />
      <FieldError id={fields[name].errorId} errors={fields[name].errors} />
    </div>
  );
  return (
    <div className="space-y-4">
      <Card>
        <CardTitle>Accounts</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>Platform</Th>
              <Th>Account</Th>
              <Th>Currency</Th>
              <Th>Campaigns</Th>
              <Th>Connection</Th>
              <Th>Last sync</Th>
            </tr>
          </thead>
          <tbody>
            {d.accounts.map((a) => (
              <tr key={a.id}>
                <Td>{PLATFORM_LABEL[a.platform] ?? a.platform}</Td>
                <Td>
                  {a.name} <span className="text-xs text-slate-600">({a.externalId})</span>
                </Td>
                <Td>{a.currency}</Td>
                <Td>{a.campaigns}</Td>
                <Td>{a.connected ? <Badge tone="green">{a.connector}</Badge> : <Badge tone="red">not connected</Badge>}</Td>
                <Td>{a.lastSync ? `${a.lastSync.status.toLowerCase()} · ${when(a.lastSync.at)}` : '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardTitle>Guardrails (workspace policy)</CardTitle>
        <FormNotice result={result} />
        {d.admin ? (
          <Form method="post" {...getFormProps(form)} className="mt-2 space-y-3" aria-label="Guardrail policy">
            <input type="hidden" name="csrf" value={csrf} />
            <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
              {num('maxChangePct')}
              {text('minBudget')}
              {text('dailySpendCap')}
              {num('learningPhaseDays', '1')}
              {num('maxChangesPerDay', '1')}
              {num('approvalTtlHours')}
              {num('reminderBeforeHours')}
              <div className="space-y-1">
                <Label htmlFor={fields.onFailure.id}>{LABEL.onFailure}</Label>
                <Select {...getSelectProps(fields.onFailure)}>
                  <option value="rollback">roll back what was applied</option>
                  <option value="stop">stop where it is</option>
                </Select>
              </div>
              {num('autoMaxChangePct')}
            </div>
            <div className="flex flex-col gap-2 text-sm">
              <label className="flex items-center gap-2">
                <input {...getInputProps(fields.fourEyes, { type: 'checkbox' })} className="h-4 w-4" />
                {LABEL.fourEyes}
              </label>
              <label className="flex items-center gap-2">
                <input {...getInputProps(fields.emergencyPause, { type: 'checkbox' })} className="h-4 w-4" />
                {LABEL.emergencyPause}
              </label>
            </div>
            <p className="text-xs text-slate-700">
              Learning phases when left at 0:{' '}
              {Object.entries(d.learning)
                .map(([k, v]) => `${PLATFORM_LABEL[k] ?? k} ${v} d`)
                .join(', ')}
              . Blackout windows and per-account policies: <code>mbo guardrails set</code>.
            </p>
            <Button type="submit" disabled={busy}>
              Save policy
            </Button>
          </Form>
        ) : null}
        <Table className="mt-3">
          <thead>
            <tr>
              <Th>Setting</Th>
              <Th>In force</Th>
              <Th>From</Th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(p).map(([k, v]) => (
              <tr key={k} data-testid="policy-row" data-setting={k}>
                <Td>{k}</Td>
                <Td className="font-mono text-xs">{show(v)}</Td>
                <Td>{d.origin[k] ?? 'default'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
