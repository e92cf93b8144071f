// The signed-in frame: navigation, the workspace switcher (the user's workspaces with their role in each; switching
// re-scopes the session, see switch-workspace.tsx) and role, the pending-approvals count, log out. Its loader is the
// gate: no session, no page (redirect to /login).
import { Form, NavLink, Outlet, useLoaderData, useLocation, useSubmit, type LoaderFunctionArgs } from 'react-router';
import { Button } from '../components/ui/button';
import { listMyWorkspaces } from '../lib/forms.server';
import { listChanges } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const [pending, workspaces] = await Promise.all([listChanges(user.ctx, { status: 'PENDING_APPROVAL', limit: 500 }), listMyWorkspaces(user.ctx)]);
  const { userId, workspace, role, roles } = user.ctx.actor;
  return { actor: { userId, workspace, role, roles }, csrf: user.csrf, pending: pending.items.length, workspaces };
}

const NAV = [
  ['/', 'Overview'],
  ['/approvals', 'Approvals'],
  ['/campaigns', 'Campaigns'],
  ['/optimize', 'Optimize'],
  ['/attribution', 'Attribution'],
  ['/reports', 'Reports'],
  ['/rules', 'Rules'],
  ['/alerts', 'Alerts'],
  ['/audit', 'Audit log'],
  ['/settings', 'Settings'],
] as const;

export default function Layout() {
  const { actor, csrf, pending, workspaces } = useLoaderData<typeof loader>();
  const location = useLocation();
  const submit = useSubmit();
  return (
    <div className="min-h-screen">
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2">
          <span className="text-lg font-bold text-blue-800">MBO</span>
          {workspaces.length > 1 ? (
            <Form method="post" action="/workspace" className="flex items-center gap-1 text-sm text-slate-700" data-testid="workspace-switcher">
              <input type="hidden" name="csrf" value={csrf} />
              <input type="hidden" name="back" value={location.pathname} />
              <label htmlFor="workspace-select">Workspace</label>
              <select
                id="workspace-select"
                name="workspace"
                defaultValue={actor.workspace}
                key={actor.workspace}
                className="min-h-8 max-w-[60vw] rounded-md border border-slate-300 bg-white px-2 py-1 text-sm font-semibold text-slate-900"
                onChange={(e) => submit(e.currentTarget.form)}
              >
                {workspaces.map((w) => (
                  <option key={w.slug} value={w.slug}>
                    {w.name === w.slug ? w.slug : `${w.name} (${w.slug})`} · {w.role}
                  </option>
                ))}
              </select>
              <noscript>
                <Button variant="outline" size="sm" type="submit">
                  Switch
                </Button>
              </noscript>
            </Form>
          ) : null}
          <span className={`text-sm text-slate-700${workspaces.length > 1 ? ' sr-only' : ''}`} data-testid="workspace">
            Workspace <strong>{actor.workspace}</strong>
          </span>
          <span className="ml-auto text-sm text-slate-700">
            {actor.userId} · <span data-testid="role">{actor.role}</span>
          </span>
          <Form method="post" action="/logout">
            <input type="hidden" name="csrf" value={csrf} />
            <Button variant="outline" size="sm" type="submit">
              Log out
            </Button>
          </Form>
        </div>
        <nav aria-label="Main" className="mx-auto max-w-7xl overflow-x-auto px-1">
          <ul className="flex gap-1 whitespace-nowrap">
            {NAV.map(([to, label]) => (
              <li key={to}>
                <NavLink
                  to={to}
                  end={to === '/'}
                  className={({ isActive }) =>
                    `inline-block px-3 py-2 text-sm ${isActive ? 'border-b-2 border-blue-700 font-semibold text-blue-800' : 'text-slate-700 hover:text-slate-900'}`
                  }
                >
                  {label}
                  {to === '/approvals' && pending > 0 ? (
                    <span className="ml-1 rounded-full bg-amber-200 px-1.5 text-xs text-amber-950" data-testid="pending-count">
                      {pending}
                    </span>
                  ) : null}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main className="mx-auto max-w-7xl p-3 sm:p-4">
        <Outlet />
      </main>
    </div>
  );
}
