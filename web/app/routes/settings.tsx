// Settings: a frame with one tab per part — general (accounts and their connection state, the guardrail policy),
// members and roles, notification channels, and for admins API keys and webhooks. Each tab is its own route with
// its own use cases; what a role may not change shows no controls, and the use cases refuse it anyway.
import { NavLink, Outlet, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  return { admin: ctx.actor.roles.includes('admin') };
}

export default function Settings() {
  const { admin } = useLoaderData<typeof loader>();
  const tabs: [string, string][] = [
    ['/settings', 'General'],
    ['/settings/members', 'Members'],
    ['/settings/notifications', 'Notifications'],
    ...(admin
      ? ([
          ['/settings/keys', 'API keys'],
          ['/settings/webhooks', 'Webhooks'],
        ] as [string, string][])
      : []),
  ];
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Settings</h1>
      <nav aria-label="Settings" className="overflow-x-auto border-b border-slate-200">
        <ul className="flex gap-1 whitespace-nowrap">
          {tabs.map(([to, label]) => (
            <li key={to}>
              <NavLink
                to={to}
                end
                className={({ isActive }) =>
                  `inline-block px-3 py-2 text-sm ${isActive ? 'border-b-2 border-blue-700 font-semibold text-blue-800' : 'text-slate-700 hover:text-slate-900'}`
                }
              >
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}
