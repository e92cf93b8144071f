// Settings → API keys (admins): create a key for a member — shown once on this page, never stored or shown again —
// and revoke one (services/auth/api-keys; audited). Non-admins get no form, and the use cases refuse them anyway.
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect } from 'react';
import { Form, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { createApiKeySchema } from '../../../services/auth/api-keys.schema.ts';
import { FormNotice } from '../components/forms/result';
import { Badge } from '../components/ui/badge';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { attempt, done, firstError, refused } from '../lib/form-action.server';
import { createApiKey, listApiKeys, listMembers, revokeApiKey } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'API keys · Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const admin = ctx.actor.roles.includes('admin');
  const [keys, members] = await Promise.all([admin ? listApiKeys(ctx) : Promise.resolve([]), listMembers(ctx)]);
  return { admin, keys, members: members.map((m) => m.userId), me: ctx.actor.userId };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  if (intent === 'create') {
    const s = parseWithZod(form, { schema: createApiKeySchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      const k = await createApiKey(user.ctx, s.value);
      return done(intent, `Key ${k.prefix} (“${k.name}”) for ${k.userId} created. Copy it now: it is not shown again.`, { secret: k.key });
    });
  }
  if (intent === 'revoke') {
    const prefix = String(form.get('prefix') ?? '');
    return attempt(intent, async () => {
      const k = await revokeApiKey(user.ctx, { prefix });
      return done(intent, `Key ${k.prefix} is revoked.`);
    });
  }
  return refused(intent, `unknown form "${intent}"`);
}

export default function ApiKeys() {
  const { admin, keys, members, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const [form, f] = useForm({
    onValidate: ({ formData }) => parseWithZod(formData, { schema: createApiKeySchema }),
    shouldValidate: 'onBlur',
    defaultValue: { userId: me },
  });
  useEffect(() => {
    if (result?.ok) form.reset();
  }, [result]);
  if (!admin)
    return (
      <p className="rounded bg-slate-100 p-3 text-sm" data-testid="read-only">
        Only admins manage API keys.
      </p>
    );
  return (
    <div className="space-y-4">
      <FormNotice result={result} />
      {result?.ok && result.secret ? (
        <Card className="border-amber-300 bg-amber-50">
          <Label htmlFor="new-key">Your new API key (shown once)</Label>
          <Input id="new-key" readOnly value={result.secret} className="mt-1 font-mono" data-testid="new-key" onFocus={(e) => e.currentTarget.select()} />
        </Card>
      ) : null}
      <Card>
        <CardTitle>Create a key</CardTitle>
        <Form method="post" {...getFormProps(form)} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <input type="hidden" name="csrf" value={csrf} />
          <div className="space-y-1">
            <Label htmlFor={f.name.id}>What it is for</Label>
            <Input {...getInputProps(f.name, { type: 'text' })} placeholder="e.g. CI" />
            <FieldError id={f.name.errorId} errors={f.name.errors} />
          </div>
          <div className="space-y-1">
            <Label htmlFor={f.userId.id}>Acts as</Label>
            <Select {...getSelectProps(f.userId)}>
              {members.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </Select>
          </div>
          <div className="space-y-1">
            <Label htmlFor={f.expiresInDays.id}>Expires in days (optional)</Label>
            <Input {...getInputProps(f.expiresInDays, { type: 'number' })} min={1} max={3650} />
            <FieldError id={f.expiresInDays.errorId} errors={f.expiresInDays.errors} />
          </div>
          <div className="flex items-end">
            <Button type="submit" name="intent" value="create" disabled={busy}>
              Create key
            </Button>
          </div>
        </Form>
      </Card>
      <Card>
        <CardTitle>Keys</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>Prefix</Th>
              <Th>Name</Th>
              <Th>User</Th>
              <Th>Created</Th>
              <Th>Expires</Th>
              <Th>Last used</Th>
              <Th>State</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="key-row" data-prefix={k.prefix}>
                <Td className="font-mono text-xs">{k.prefix}</Td>
                <Td>{k.name}</Td>
                <Td>{k.userId}</Td>
                <Td>{when(k.createdAt)}</Td>
                <Td>{when(k.expiresAt)}</Td>
                <Td>{when(k.lastUsedAt)}</Td>
                <Td data-testid="key-state">{k.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}</Td>
                <Td>
                  {k.revokedAt ? null : (
                    <Form method="post">
                      <input type="hidden" name="csrf" value={csrf} />
                      <input type="hidden" name="prefix" value={k.prefix} />
                      <Button type="submit" name="intent" value="revoke" size="sm" variant="destructive" disabled={busy} aria-label={`Revoke ${k.prefix}`}>
                        Revoke
                      </Button>
                    </Form>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
