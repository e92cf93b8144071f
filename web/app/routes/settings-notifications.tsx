// Settings → Notifications: where approvers hear about requests — a WhatsApp number or a Slack-compatible incoming
// webhook per member (services/notifications/channels.ts). Everyone sets and removes their own; admins see and
// set anyone's. Addresses are sealed: only a hint is shown.
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect } from 'react';
import { Form, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { CHANNEL_KINDS, notificationChannelRefSchema, setNotificationChannelSchema } from '../../../services/notifications/notifications.schema.ts';
import { FormNotice } from '../components/forms/result';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { attempt, done, firstError, refused } from '../lib/form-action.server';
import { listMembers, listNotificationChannels, removeNotificationChannel, setNotificationChannel } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Notifications · Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const admin = ctx.actor.roles.includes('admin');
  const [channels, members] = await Promise.all([listNotificationChannels(ctx, {}), admin ? listMembers(ctx) : Promise.resolve([])]);
  return { admin, me: ctx.actor.userId, channels, members: members.map((m) => m.userId) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  if (intent === 'set') {
    const s = parseWithZod(form, { schema: setNotificationChannelSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      const c = await setNotificationChannel(user.ctx, s.value);
      return done(intent, `${c.userId}'s ${c.kind} channel is ${c.enabled ? 'on' : 'off'} (${c.address}).`);
    });
  }
  if (intent === 'remove') {
    const s = parseWithZod(form, { schema: notificationChannelRefSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      await removeNotificationChannel(user.ctx, s.value);
      return done(intent, 'Channel removed.');
    });
  }
  return refused(intent, `unknown form "${intent}"`);
}

export default function Notifications() {
  const { admin, me, channels, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const [form, f] = useForm({
    onValidate: ({ formData }) => parseWithZod(formData, { schema: setNotificationChannelSchema }),
    shouldValidate: 'onBlur',
    defaultValue: { userId: me, kind: 'slack' } as never,
  });
  useEffect(() => {
    if (result?.ok) form.reset();
  }, [result]);
  return (
    <div className="space-y-4">
      <FormNotice result={result} />
      <Card>
        <CardTitle>{admin ? 'Notification channels' : 'Your notification channels'}</CardTitle>
        {channels.length === 0 ? (
          <p className="text-sm text-slate-700">No channels yet: approval requests reach {admin ? 'members' : 'you'} in the web app only.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Member</Th>
                <Th>Kind</Th>
                <Th>Address</Th>
                <Th>State</Th>
                <Th>Updated</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {channels.map((c) => (
                <tr key={`${c.userId}-${c.kind}`} data-testid="channel-row">
                  <Td>{c.userId}</Td>
                  <Td>{c.kind}</Td>
                  <Td className="font-mono text-xs">{c.address}</Td>
                  <Td>{c.enabled ? <Badge tone="green">on</Badge> : <Badge>off</Badge>}</Td>
                  <Td>{when(c.updatedAt)}</Td>
                  <Td>
                    <Form method="post">
                      <input type="hidden" name="csrf" value={csrf} />
                      <input type="hidden" name="userId" value={c.userId} />
                      <input type="hidden" name="kind" value={c.kind} />
                      <Button
                        type="submit"
                        name="intent"
                        value="remove"
                        size="sm"
                        variant="destructive"
                        disabled={busy}
                        aria-label={`Remove ${c.userId}'s ${c.kind} channel`}
                      >
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
      <Card>
        <CardTitle>Set a channel</CardTitle>
        <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="csrf" value={csrf} />
          {admin ? (
            <div className="space-y-1">
              <Label htmlFor={f.userId.id}>Member</Label>
              <Select {...getSelectProps(f.userId)}>
                {members.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </Select>
            </div>
          ) : (
            <input type="hidden" name={f.userId.name} value={me} />
          )}
          <div className="space-y-1">
            <Label htmlFor={f.kind.id}>Kind</Label>
            <Select {...getSelectProps(f.kind)}>
              {CHANNEL_KINDS.map((k) => (
                <option key={k} value={k}>
                  {k === 'slack' ? 'Slack-compatible webhook' : 'WhatsApp'}
                </option>
              ))}
            </Select>
          </div>
          <div className="space-y-1">
            <Label htmlFor={f.address.id}>Address (webhook URL or +number)</Label>
            <Input {...getInputProps(f.address, { type: 'text' })} />
            <FieldError id={f.address.errorId} errors={f.address.errors} />
          </div>
          <div>
            <Button type="submit" name="intent" value="set" disabled={busy}>
              Save channel
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
