// Rules: what the workspace's automation rules watch and do (services/rules.listRules).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Badge } from '../components/ui/badge';
import { Card } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { listRules } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Rules · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  return { rules: await listRules(ctx) };
}

export default function Rules() {
  const { rules } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Rules</h1>
      <Card>
        {rules.length === 0 ? (
          <p className="text-sm text-slate-700">No rules yet (mbo rules add, or POST /api/v1/rules).</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>When</Th>
                <Th>Then</Th>
                <Th>Approval</Th>
                <Th>State</Th>
                <Th>Last fired</Th>
              </tr>
            </thead>
            <tbody>
              {rules.map((r) => (
                <tr key={r.id}>
                  <Td>{r.name}</Td>
                  <Td className="font-mono text-xs">{r.when}</Td>
                  <Td className="font-mono text-xs">{r.then}</Td>
                  <Td>{r.requiresApproval ? 'required' : 'automatic'}</Td>
                  <Td>{r.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}</Td>
                  <Td>{when(r.lastFiredAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
