// Settings → Members: who is in the workspace and their role (services/members listMembers). Admins add a member
// (with a web password so they can log in), change a role, set someone's password and remove a member (setMember /
// removeMember — never the last admin; audited). Everyone may change their own password (setOwnPassword; it ends
// their sessions, so they log in again).
import { getFormProps, getInputProps, getSelectProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { useEffect, useState } from 'react';
import { Form, redirect, useActionData, useLoaderData, useNavigation, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { z } from 'zod';
import { ROLE_VALUES } from '../../../services/common.schema.ts';
import { passwordSchema, setMemberSchema, setPasswordSchema } from '../../../services/members/members.schema.ts';
import { FormNotice } from '../components/forms/result';
import { Button } from '../components/ui/button';
import { Card, CardTitle } from '../components/ui/card';
import { Input, Select } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { attempt, done, firstError, refused } from '../lib/form-action.server';
import { listMembers, removeMember, setMember, setOwnPassword } from '../lib/forms.server';
import { checkCsrf, clearedCookies, requireUser } from '../lib/session.server';
import { useSession } from '../lib/use-session';

export const meta = () => [{ title: 'Members · Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  return { members: await listMembers(ctx), admin: ctx.actor.roles.includes('admin'), me: ctx.actor.userId };
}

const rowSchema = z.object({ userId: setMemberSchema.shape.userId, role: setMemberSchema.shape.role, password: passwordSchema.optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  const intent = String(form.get('intent') ?? '');
  if (intent === 'add') {
    const s = parseWithZod(form, { schema: setMemberSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      const m = await setMember(user.ctx, s.value);
      return done(intent, `${m.userId} is ${m.role === 'admin' || m.role === 'analyst' ? 'an' : 'a'} ${m.role}${m.canLogIn ? ' and can log in' : ''}.`);
    });
  }
  if (intent === 'role' || intent === 'password') {
    const s = parseWithZod(form, { schema: rowSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    if (intent === 'password' && !s.value.password) return refused(intent, 'password: type the new password');
    return attempt(intent, async () => {
      const m = await setMember(user.ctx, intent === 'role' ? { userId: s.value.userId, role: s.value.role } : s.value);
      return done(intent, intent === 'role' ? `${m.userId} is now ${m.role}.` : `${m.userId}'s web password is set.`);
    });
  }
  if (intent === 'remove') {
    const userId = String(form.get('userId') ?? '');
    return attempt(intent, async () => {
      await removeMember(user.ctx, { userId });
      return done(intent, `${userId} was removed (their API keys here are revoked).`);
    });
  }
  if (intent === 'own-password') {
    const s = parseWithZod(form, { schema: setPasswordSchema });
    if (s.status !== 'success') return refused(intent, firstError(s.error));
    return attempt(intent, async () => {
      await setOwnPassword(user.ctx, s.value);
      const headers = new Headers();
      for (const c of clearedCookies()) headers.append('Set-Cookie', c);
      throw redirect('/login?next=/settings/members', { headers });
    });
  }
  return refused(intent, `unknown form "${intent}"`);
}

const ROLES = ROLE_VALUES;

export default function Members() {
  const { members, admin, me } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { csrf } = useSession();
  const busy = useNavigation().state !== 'idle';
  const [addForm, add] = useForm({
    id: 'add-member',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: setMemberSchema }),
    shouldValidate: 'onBlur',
    defaultValue: { role: 'viewer' },
  });
  const [pwForm, pw] = useForm({
    id: 'own-password',
    onValidate: ({ formData }) => parseWithZod(formData, { schema: setPasswordSchema }),
    shouldValidate: 'onBlur',
  });
  // A done form starts empty again (no password left in a field); the rows' forms are remounted.
  const [round, setRound] = useState(0);
  useEffect(() => {
    if (!result?.ok) return;
    setRound((r) => r + 1);
    if (result.intent === 'add') addForm.reset();
  }, [result]);
  return (
    <div className="space-y-4">
      <FormNotice result={result} />
      <Card>
        <CardTitle>Members and roles</CardTitle>
        <p className="mb-2 text-xs text-slate-700">
          viewer: reads · analyst: requests changes, runs optimizations, manages rules · approver: decides requests · admin: guardrails, members, keys and
          webhooks.
        </p>
        <Table>
          <thead>
            <tr>
              <Th>User</Th>
              <Th>Role</Th>
              <Th>Web log-in</Th>
              <Th>Since</Th>
              {admin ? (
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.userId} data-testid="member-row" data-user={m.userId}>
                <Td>
                  {m.displayName} <span className="text-xs text-slate-600">({m.userId})</span>
                  {m.userId === me ? <span className="text-xs text-slate-600"> · you</span> : null}
                </Td>
                <Td data-testid="member-role">{m.role}</Td>
                <Td>{m.canLogIn ? 'yes' : 'no'}</Td>
                <Td>{when(m.since)}</Td>
                {admin ? (
                  <Td>
                    <div className="flex flex-wrap items-end gap-2" key={round}>
                      <Form method="post" className="flex items-end gap-1">
                        <input type="hidden" name="csrf" value={csrf} />
                        <input type="hidden" name="userId" value={m.userId} />
                        <Select name="role" defaultValue={m.role} aria-label={`Role of ${m.userId}`} className="w-32">
                          {ROLES.map((r) => (
                            <option key={r} value={r}>
                              {r}
                            </option>
                          ))}
                        </Select>
                        <Button type="submit" name="intent" value="role" size="sm" variant="outline" disabled={busy} aria-label={`Save role of ${m.userId}`}>
                          Save role
                        </Button>
                      </Form>
                      <Form method="post" className="flex items-end gap-1">
                        <input type="hidden" name="csrf" value={csrf} />
                        <input type="hidden" name="userId" value={m.userId} />
                        <input type="hidden" name="role" value={m.role} />
                        <Input
                          type="password"
                          name="password"
                          autoComplete="new-password"
                          minLength={12}
                          aria-label={`New web password for ${m.userId}`}
                          placeholder="new password"
                          className="w-40"
                        />
                        <Button
                          type="submit"
                          name="intent"
                          value="password"
                          size="sm"
                          variant="outline"
                          disabled={busy}
                          aria-label={`Set password of ${m.userId}`}
                        >
                          Set password
                        </Button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="csrf" value={csrf} />
                        <input type="hidden" name="userId" value={m.userId} />
                        <Button type="submit" name="intent" value="remove" size="sm" variant="destructive" disabled={busy} aria-label={`Remove ${m.userId}`}>
                          Remove
                        </Button>
                      </Form>
                    </div>
                  </Td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {admin ? (
        <Card>
          <CardTitle>Add a member</CardTitle>
          <Form method="post" {...getFormProps(addForm)} className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
            <input type="hidden" name="csrf" value={csrf} />
            <div className="space-y-1">
              <Label htmlFor={add.userId.id}>User id</Label>
              <Input {...getInputProps(add.userId, { type: 'text' })} placeholder="e.g. maria.marketer" />
              <FieldError id={add.userId.errorId} errors={add.userId.errors} />
            </div>
            <div className="space-y-1">
              <Label htmlFor={add.displayName.id}>Name (optional)</Label>
              <Input {...getInputProps(add.displayName, { type: 'text' })} />
              <FieldError id={add.displayName.errorId} errors={add.displayName.errors} />
            </div>
            <div className="space-y-1">
              <Label htmlFor={add.email.id}>E-mail (optional)</Label>
              <Input {...getInputProps(add.email, { type: 'email' })} />
              <FieldError id={add.email.errorId} errors={add.email.errors} />
            </div>
            <div className="space-y-1">
              <Label htmlFor={add.role.id}>Role</Label>
              <Select {...getSelectProps(add.role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </Select>
            </div>
            <div className="space-y-1">
              <Label htmlFor={add.password.id}>Web password (optional, 12+ characters)</Label>
              <Input {...getInputProps(add.password, { type: 'password' })} autoComplete="new-password" />
              <FieldError id={add.password.errorId} errors={add.password.errors} />
            </div>
            <div className="flex items-end">
              <Button type="submit" name="intent" value="add" disabled={busy}>
                Add member
              </Button>
            </div>
          </Form>
        </Card>
      ) : null}
      <Card>
        <CardTitle>Your password</CardTitle>
        <Form method="post" {...getFormProps(pwForm)} className="grid gap-3 sm:grid-cols-3">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="text" name="username" value={me} autoComplete="username" readOnly hidden />
          <div className="space-y-1">
            <Label htmlFor={pw.currentPassword.id}>Current password</Label>
            <Input {...getInputProps(pw.currentPassword, { type: 'password' })} autoComplete="current-password" />
          </div>
          <div className="space-y-1">
            <Label htmlFor={pw.newPassword.id}>New password (12+ characters)</Label>
            <Input {...getInputProps(pw.newPassword, { type: 'password' })} autoComplete="new-password" />
            <FieldError id={pw.newPassword.errorId} errors={pw.newPassword.errors} />
          </div>
          <div className="flex items-end">
            <Button type="submit" name="intent" value="own-password" variant="outline" disabled={busy}>
              Change my password (logs you out)
            </Button>
          </div>
        </Form>
      </Card>
    </div>
  );
}
