// Settings → Webhooks (admins): the workspace's outbound endpoints (alerts, approval requests, closed requests,
// reports): add one — its signing secret is shown once —, send it a signed test message, remove it
// (services/webhooks; audited). Non-admins get no form, and the use cases refuse them anyway.
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect } from 'react';
import { Form, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { addWebhookSchema, WEBHOOK_EVENTS } from '../../../services/webhooks/webhooks.schema.ts';
import { FormNotice } from '../components/forms/result';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { attempt, done, firstError, refused } from '../lib/form-action.server';
import { addWebhook, listWebhooks, removeWebhook, testWebhook } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Webhooks · Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const admin = ctx.actor.roles.includes('admin');
  return { admin, webhooks: admin ? await listWebhooks(ctx) : [] };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  const webhookId = String(form.get('webhookId') ?? '');
  if (intent === 'add') {
    const s = parseWithZod(form, { schema: addWebhookSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      const w = await addWebhook(user.ctx, s.value);
      return done(intent, `Webhook added for ${w.events.join(', ')}. Its signing secret (X-MBO-Signature) is below, shown once.`, { secret: w.secret });
    });
  }
  if (intent === 'test')
    return attempt(intent, async () => {
      const r = await testWebhook(user.ctx, { webhookId });
      return r.delivered ? done(intent, 'The test message was delivered.') : refused(intent, `The test message was not taken: ${r.error ?? r.status}`, 502);
    });
  if (intent === 'remove')
    return attempt(intent, async () => {
      await removeWebhook(user.ctx, { webhookId });
      return done(intent, 'Webhook removed.');
    });
  return refused(intent, `unknown form "${intent}"`);
}

export default function Webhooks() {
  const { admin, webhooks } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const [form, f] = useForm({
    onValidate: ({ formData }) => parseWithZod(formData, { schema: addWebhookSchema }),
    shouldValidate: 'onBlur',
  });
  useEffect(() => {
    if (result?.ok) form.reset();
  }, [result]);
  if (!admin)
    return (
      <p className="rounded bg-slate-100 p-3 text-sm" data-testid="read-only">
        Only admins manage webhooks.
      </p>
    );
  return (
    <div className="space-y-4">
      <FormNotice result={result} />
      {result?.ok && result.secret ? (
        <Card className="border-amber-300 bg-amber-50">
          <Label htmlFor="new-secret">Signing secret (shown once)</Label>
          <Input id="new-secret" readOnly value={result.secret} className="mt-1 font-mono" data-testid="new-secret" />
        </Card>
      ) : null}
      <Card>
        <CardTitle>Add a webhook</CardTitle>
        <Form method="post" {...getFormProps(form)} className="space-y-3">
          <input type="hidden" name="csrf" value={csrf} />
          <div className="max-w-xl space-y-1">
            <Label htmlFor={f.url.id}>URL (Slack-compatible JSON, signed)</Label>
            <Input {...getInputProps(f.url, { type: 'url' })} placeholder="https://hooks.slack.com/services/…" />
            <FieldError id={f.url.errorId} errors={f.url.errors} />
          </div>
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Events</legend>
            <div className="flex flex-wrap gap-3">
              {WEBHOOK_EVENTS.map((e) => (
                <label key={e} className="flex items-center gap-1 text-sm">
                  <input type="checkbox" name={f.events.name} value={e} defaultChecked={e === 'alert'} className="h-4 w-4" />
                  {e}
                </label>
              ))}
            </div>
            <FieldError id={f.events.errorId} errors={f.events.errors} />
          </fieldset>
          <Button type="submit" name="intent" value="add" disabled={busy}>
            Add webhook
          </Button>
        </Form>
      </Card>
      <Card>
        <CardTitle>Webhooks</CardTitle>
        {webhooks.length === 0 ? (
          <p className="text-sm text-slate-700">No webhooks.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>URL</Th>
                <Th>Events</Th>
                <Th>State</Th>
                <Th>Added</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {webhooks.map((w) => (
                <tr key={w.id} data-testid="webhook-row" data-url={w.url}>
                  <Td className="break-all">{w.url}</Td>
                  <Td>{(w.events as string[]).join(', ')}</Td>
                  <Td>{w.enabled ? 'enabled' : 'disabled'}</Td>
                  <Td>
                    {when(w.createdAt)} by {w.createdBy}
                  </Td>
                  <Td>
                    <Form method="post" className="flex gap-1">
                      <input type="hidden" name="csrf" value={csrf} />
                      <input type="hidden" name="webhookId" value={w.id} />
                      <Button type="submit" name="intent" value="test" size="sm" variant="outline" disabled={busy} aria-label={`Test ${w.url}`}>
                        Test
                      </Button>
                      <Button type="submit" name="intent" value="remove" size="sm" variant="destructive" disabled={busy} aria-label={`Remove ${w.url}`}>
                        Remove
                      </Button>
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
