// Alerts: the workspace's recent alerts, newest first (services/alerts.listAlerts), open ones first to act on:
// acknowledge (optionally saying what you are doing) or resolve with a note on how (acknowledgeAlert / resolveAlert,
// analysts and above — the use cases refuse anyone else whatever the page shows).
import { Form, Link, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { FormNotice } from '../components/forms/result';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Textarea } from '../components/ui/input';
import { Label } from '../components/ui/label';
import { when } from '../lib/format';
import { attempt, done, refused } from '../lib/form-action.server';
import { acknowledgeAlert, listAlerts, resolveAlert } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Alerts · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const open = new URL(request.url).searchParams.get('open') === '1';
  return {
    alerts: (await listAlerts(ctx, { limit: 100, ...(open ? { unacknowledged: true } : {}) })).items,
    open,
    canAct: ctx.actor.roles.includes('analyst'),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  const alertId = String(form.get('alertId') ?? '');
  const note = String(form.get('note') ?? '').trim();
  if (intent === 'acknowledge')
    return attempt(intent, async () => {
      await acknowledgeAlert(user.ctx, { alertId, ...(note ? { note } : {}) });
      return done(intent, 'Alert acknowledged.');
    });
  if (intent === 'resolve') {
    if (!note) return refused(intent, 'say how it was resolved: a note is required to resolve an alert');
    return attempt(intent, async () => {
      await resolveAlert(user.ctx, { alertId, note });
      return done(intent, 'Alert resolved.');
    });
  }
  return refused(intent, `unknown form "${intent}"`);
}

export default function Alerts() {
  const { alerts, open, canAct } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">Alerts</h1>
        <nav aria-label="Alert filter" className="flex gap-3 text-sm">
          <Link to="/alerts" className={open ? 'text-blue-800 underline' : 'font-semibold'} aria-current={open ? undefined : 'page'}>
            All
          </Link>
          <Link to="/alerts?open=1" className={open ? 'font-semibold' : 'text-blue-800 underline'} aria-current={open ? 'page' : undefined}>
            Not acknowledged
          </Link>
        </nav>
      </div>
      <FormNotice result={result} />
      {alerts.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-700">No alerts{open ? ' waiting for acknowledgement' : ''}.</p>
        </Card>
      ) : (
        <ul className="space-y-2">
          {alerts.map((a) => (
            <li key={a.id}>
              <Card className="p-3" data-testid="alert" data-alert-id={a.id}>
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={a.severity === 'critical' ? 'red' : a.severity === 'warning' ? 'amber' : 'blue'}>{a.severity}</Badge>
                  <span className="font-medium">{a.kind}</span>
                  <span className="text-slate-700">{when(a.createdAt)}</span>
                  <span className="ml-auto" data-testid="alert-state">
                    {a.resolvedAt ? (
                      <Badge tone="green">resolved by {a.resolvedBy}</Badge>
                    ) : a.acknowledgedAt ? (
                      <Badge tone="slate">acknowledged by {a.acknowledgedBy}</Badge>
                    ) : (
                      <Badge tone="amber">open</Badge>
                    )}
                  </span>
                </div>
                <p className="mt-1 text-sm">{a.message}</p>
                {a.note ? (
                  <p className="mt-1 text-sm text-slate-700" data-testid="alert-note">
                    Note: {a.note}
                  </p>
                ) : null}
                {canAct && !a.resolvedAt ? (
                  <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="csrf" value={csrf} />
                    <input type="hidden" name="alertId" value={a.id} />
                    <div className="min-w-48 flex-1">
                      <Label htmlFor={`note-${a.id}`}>Note</Label>
                      <Textarea id={`note-${a.id}`} name="note" rows={1} maxLength={2000} />
                    </div>
                    {!a.acknowledgedAt ? (
                      <Button type="submit" name="intent" value="acknowledge" variant="outline" disabled={busy}>
                        Acknowledge
                      </Button>
                    ) : null}
                    <Button type="submit" name="intent" value="resolve" disabled={busy}>
                      Resolve
                    </Button>
                  </Form>
                ) : null}
              </Card>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
