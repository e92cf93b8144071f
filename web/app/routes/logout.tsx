// Log out: ends the session (services/auth/sessions.logOut) and clears both cookies. POST only, with the CSRF field.
import { redirect, type ActionFunctionArgs } from 'react-router';
import { logOut } from '../lib/services.server';
import { checkCsrf, clearedCookies, requireUser } from '../lib/session.server';

export async function loader() {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  checkCsrf(user, await request.formData());
  await logOut(user.ctx, user.sessionId);
  const headers = new Headers();
  for (const c of clearedCookies()) headers.append('Set-Cookie', c);
  return redirect('/login', { headers });
}
