// POST /workspace: the header's workspace switcher. Re-scopes this session to another of the user's workspaces
// (services/auth/sessions switchWorkspace: members only, audited) and goes back to the page the user was on, now
// with that workspace's data and the role the user holds there.
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from 'react-router';
import { isAppError, switchWorkspace } from '../lib/forms.server';
import { checkCsrf, requireUser } from '../lib/session.server';

export async function loader(_: LoaderFunctionArgs) {
  return redirect('/');
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const form = await request.formData();
  checkCsrf(user, form);
  try {
    await switchWorkspace(user.ctx, user.sessionId, { workspace: String(form.get('workspace') ?? '') });
  } catch (e) {
    if (isAppError(e)) throw data({ message: e.message }, { status: e.code === 'FORBIDDEN' ? 403 : e.code === 'UNAUTHENTICATED' ? 401 : 400 });
    throw e;
  }
  // Back where the user was, but never to a page of one object (a request or campaign of the old workspace).
  const back = String(form.get('back') ?? '/');
  const top = back.startsWith('/') && !back.startsWith('//') ? `/${back.split('/')[1] ?? ''}`.replace(/\?.*$/, '') : '/';
  return redirect(top === '/settings' ? back.split('?')[0]! : top);
}
