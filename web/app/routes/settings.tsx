// Settings: accounts and their connection state, the guardrail policy, members and roles, and — for admins — API
// keys and webhooks (each list is its use case; what a role may not read is simply not shown).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Badge } from '../components/ui/badge';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { PLATFORM_LABEL, when } from '../lib/format';
import { getGuardrails, listAccounts, listApiKeys, listMembers, listWebhooks } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Settings · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const admin = ctx.actor.roles.includes('admin');
  const [accounts, guardrails, members, keys, webhooks] = await Promise.all([
    listAccounts(ctx),
    getGuardrails(ctx, {}),
    listMembers(ctx),
    admin ? listApiKeys(ctx) : Promise.resolve(null),
    admin ? listWebhooks(ctx) : Promise.resolve(null),
  ]);
  return { accounts, guardrails: guardrails as unknown, members, keys, webhooks };
}

export default function Settings() {
  const d = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Settings</h1>
      <Card>
        <CardTitle>Accounts</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>Platform</Th>
              <Th>Account</Th>
              <Th>Currency</Th>
              <Th>Campaigns</Th>
              <Th>Connection</Th>
              <Th>Last sync</Th>
            </tr>
          </thead>
          <tbody>
            {d.accounts.map((a) => (
              <tr key={a.id}>
                <Td>{PLATFORM_LABEL[a.platform] ?? a.platform}</Td>
                <Td>
                  {a.name} <span className="text-xs text-slate-600">({a.externalId})</span>
                </Td>
                <Td>{a.currency}</Td>
                <Td>{a.campaigns}</Td>
                <Td>{a.connected ? <Badge tone="green">{a.connector}</Badge> : <Badge tone="red">not connected</Badge>}</Td>
                <Td>{a.lastSync ? `${a.lastSync.status.toLowerCase()} · ${when(a.lastSync.at)}` : '—'}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      <Card>
        <CardTitle>Guardrails (workspace policy)</CardTitle>
        <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs">{JSON.stringify(d.guardrails, null, 2)}</pre>
      </Card>
      <Card>
        <CardTitle>Members and roles</CardTitle>
        <Table>
          <thead>
            <tr>
              <Th>User</Th>
              <Th>Role</Th>
              <Th>Web log-in</Th>
              <Th>Since</Th>
            </tr>
          </thead>
          <tbody>
            {d.members.map((m) => (
              <tr key={m.userId}>
                <Td>
                  {m.displayName} <span className="text-xs text-slate-600">({m.userId})</span>
                </Td>
                <Td>{m.role}</Td>
                <Td>{m.canLogIn ? 'yes' : 'no'}</Td>
                <Td>{when(m.since)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {d.keys ? (
        <Card>
          <CardTitle>API keys</CardTitle>
          <Table>
            <thead>
              <tr>
                <Th>Prefix</Th>
                <Th>Name</Th>
                <Th>User</Th>
                <Th>Last used</Th>
                <Th>State</Th>
              </tr>
            </thead>
            <tbody>
              {d.keys.map((k) => (
                <tr key={k.id}>
                  <Td className="font-mono text-xs">{k.prefix}</Td>
                  <Td>{k.name}</Td>
                  <Td>{k.userId}</Td>
                  <Td>{when(k.lastUsedAt)}</Td>
                  <Td>{k.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      ) : null}
      {d.webhooks ? (
        <Card>
          <CardTitle>Webhooks</CardTitle>
          {d.webhooks.length === 0 ? (
            <p className="text-sm text-slate-700">No webhooks.</p>
          ) : (
            <Table>
              <thead>
                <tr>
                  <Th>URL</Th>
                  <Th>Events</Th>
                  <Th>State</Th>
                </tr>
              </thead>
              <tbody>
                {d.webhooks.map((w) => (
                  <tr key={w.id}>
                    <Td className="break-all">{w.url}</Td>
                    <Td>{(w.events as string[]).join(', ')}</Td>
                    <Td>{w.enabled ? 'enabled' : 'disabled'}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </Card>
      ) : null}
    </div>
  );
}
