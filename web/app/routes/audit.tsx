// Audit log: who did what, newest first, filterable by action prefix or actor (services/audit.listAuditEvents).
import { Form, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { Button } from '../components/ui/button';
import { Card } from '../components/ui/card';
import { Input } from '../components/ui/input';
import { Label } from '../components/ui/label';
import { Table, Td, Th } from '../components/ui/table';
import { when } from '../lib/format';
import { listAuditEvents } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Audit log · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const q = new URL(request.url).searchParams;
  const action = q.get('action') || undefined;
  const actor = q.get('actor') || undefined;
  const events = await listAuditEvents(ctx, { limit: 100, action, actor });
  return { events: events.items, action: action ?? '', actor: actor ?? '' };
}

const short = (v: unknown) => (v == null ? '' : JSON.stringify(v).slice(0, 160));

export default function Audit() {
  const { events, action, actor } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <Form method="get" className="flex flex-wrap items-end gap-2">
        <div>
          <Label htmlFor="action">Action (or prefix ending in “.”)</Label>
          <Input id="action" name="action" defaultValue={action} placeholder="change_request." />
        </div>
        <div>
          <Label htmlFor="actor">Actor</Label>
          <Input id="actor" name="actor" defaultValue={actor} />
        </div>
        <Button type="submit" variant="outline">
          Filter
        </Button>
      </Form>
      <Card>
        <Table>
          <thead>
            <tr>
              <Th>When</Th>
              <Th>Actor</Th>
              <Th>Action</Th>
              <Th>Entity</Th>
              <Th>Before → after</Th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id} data-testid="audit-row">
                <Td className="whitespace-nowrap">{when(e.occurredAt)}</Td>
                <Td>{e.actor}</Td>
                <Td className="font-mono text-xs">{e.action}</Td>
                <Td className="text-xs">
                  {e.entityType} {e.entityId?.slice(0, 8)}
                </Td>
                <Td className="font-mono text-xs break-all">
                  {short(e.before)} {e.after ? `→ ${short(e.after)}` : ''}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
