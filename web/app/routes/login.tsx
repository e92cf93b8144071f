// Log in: the same use case as POST /api/v1/auth/login (services/auth/sessions.logIn), validated with its schema
// on both sides (conform + zod); sets the session and CSRF cookies and goes where the user was heading.
import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { data, Form, redirect, useActionData, useNavigation, useSearchParams, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { logInSchema } from '../../../services/auth/sessions.schema.ts';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { FieldError, Label } from '../components/ui/label';
import { authenticateSession, isAppError, logIn, SESSION_HOURS } from '../lib/services.server';
import { readCookies, SESSION_COOKIE, sessionCookies } from '../lib/session.server';

export const meta = () => [{ title: 'Log in · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const token = readCookies(request)[SESSION_COOKIE];
  if (token && (await authenticateSession(context.app, token).catch(() => null))) throw redirect('/');
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData();
  const submission = parseWithZod(form, { schema: logInSchema });
  if (submission.status !== 'success') return data(submission.reply({ hideFields: ['password'] }), { status: 400 });
  try {
    const s = await logIn(context.app, submission.value);
    const next = String(form.get('next') ?? '/');
    const headers = new Headers();
    for (const c of sessionCookies(s.sessionToken, s.csrfToken, SESSION_HOURS * 3600, context.app.config.api.publicUrl.startsWith('https://')))
      headers.append('Set-Cookie', c);
    return redirect(next.startsWith('/') && !next.startsWith('//') ? next : '/', { headers });
  } catch (e) {
    if (isAppError(e) && e.code === 'UNAUTHENTICATED') return data(submission.reply({ formErrors: [e.message], hideFields: ['password'] }), { status: 401 });
    throw e;
  }
}

export default function Login() {
  const lastResult = useActionData<typeof action>();
  const [params] = useSearchParams();
  const nav = useNavigation();
  const [form, fields] = useForm({
    lastResult,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: logInSchema }),
    shouldValidate: 'onBlur',
  });
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Card className="w-full max-w-sm">
        <h1 className="mb-4 text-xl font-semibold">Log in to MBO</h1>
        <Form method="post" {...getFormProps(form)} className="space-y-4">
          <input type="hidden" name="next" value={params.get('next') ?? '/'} />
          <div className="space-y-1">
            <Label htmlFor={fields.user.id}>User or e-mail</Label>
            <Input {...getInputProps(fields.user, { type: 'text' })} autoComplete="username" />
            <FieldError id={fields.user.errorId} errors={fields.user.errors} />
          </div>
          <div className="space-y-1">
            <Label htmlFor={fields.password.id}>Password</Label>
            <Input {...getInputProps(fields.password, { type: 'password' })} autoComplete="current-password" />
            <FieldError id={fields.password.errorId} errors={fields.password.errors} />
          </div>
          <div className="space-y-1">
            <Label htmlFor={fields.workspace.id}>Workspace (optional)</Label>
            <Input {...getInputProps(fields.workspace, { type: 'text' })} placeholder="your first workspace" />
            <FieldError id={fields.workspace.errorId} errors={fields.workspace.errors} />
          </div>
          {form.errors?.length ? (
            <p role="alert" className="text-sm text-red-700">
              {form.errors.join('; ')}
            </p>
          ) : null}
          <Button type="submit" className="w-full" disabled={nav.state === 'submitting'}>
            Log in
          </Button>
        </Form>
      </Card>
    </main>
  );
}
