// Alerts: the workspace's recent alerts, newest first (services/alerts.listAlerts).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Badge } from '../components/ui/badge';
import { Card } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { listAlerts } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Alerts · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  return { alerts: (await listAlerts(ctx, { limit: 100 })).items };
}

export default function Alerts() {
  const { alerts } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Alerts</h1>
      <Card>
        {alerts.length === 0 ? (
          <p className="text-sm text-slate-700">No alerts.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Severity</Th>
                <Th>Kind</Th>
                <Th>Message</Th>
                <Th>Acknowledged</Th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <Td>{when(a.createdAt)}</Td>
                  <Td>
                    <Badge tone={a.severity === 'critical' ? 'red' : a.severity === 'warning' ? 'amber' : 'blue'}>{a.severity}</Badge>
                  </Td>
                  <Td>{a.kind}</Td>
                  <Td>{a.message}</Td>
                  <Td>{a.acknowledgedBy ? `${a.acknowledgedBy}, ${when(a.acknowledgedAt)}` : '—'}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
