// One campaign: daily spend, revenue and conversions over the last 30 synced days, and its change history (the
// change requests that touched it, newest first).
import { Link, useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { MetricLines } from '../components/charts';
import { Badge } from '../components/ui/badge';
import { Card, CardTitle } from '../components/ui/card';
import { Table, Td, Th } from '../components/ui/table';
import { money, PLATFORM_LABEL, statusTone, when } from '../lib/format';
import { campaignMetrics, listChanges } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Campaign · MBO' }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const m = await campaignMetrics(ctx, { campaign: params.id });
  const changes = await listChanges(ctx, { limit: 200 });
  const history = changes.items.flatMap((r) =>
    r.items
      .filter((i) => i.campaign.id === m.campaign.id)
      .map((i) => ({
        requestId: r.id,
        at: r.createdAt,
        status: r.status,
        kind: i.kind,
        from: i.fromBudget,
        to: i.toBudget,
        by: r.requestedBy,
        decidedBy: r.decidedBy,
        url: r.workflowUrl,
      })),
  );
  return { m, history };
}

export default function Campaign() {
  const { m, history } = useLoaderData<typeof loader>();
  const data = m.points.map((p) => ({ date: p.date, spend: Number(p.spend), revenue: Number(p.revenue), conversions: Number(p.conversions) }));
  return (
    <div className="space-y-4">
      <p className="text-sm">
        <Link className="text-blue-800 underline" to="/campaigns">
          Campaigns
        </Link>{' '}
        /
      </p>
      <h1 className="text-xl font-semibold">
        {m.campaign.name}{' '}
        <span className="text-base font-normal text-slate-700">
          ({PLATFORM_LABEL[m.campaign.platform] ?? m.campaign.platform}, {m.campaign.externalId})
        </span>
      </h1>
      <Card>
        <CardTitle>
          Metrics from {m.from} to {m.to} ({m.campaign.currency})
        </CardTitle>
        <MetricLines
          data={data}
          series={[
            { key: 'spend', name: 'Spend', color: '#1d4ed8' },
            { key: 'revenue', name: 'Revenue', color: '#15803d' },
            { key: 'conversions', name: 'Conversions', color: '#b45309' },
          ]}
        />
      </Card>
      <Card>
        <CardTitle>Change history</CardTitle>
        {history.length === 0 ? (
          <p className="text-sm text-slate-700">No change requests have touched this campaign.</p>
        ) : (
          <Table>
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Change</Th>
                <Th>Status</Th>
                <Th>Requested by</Th>
                <Th>Decided by</Th>
                <Th>Workflow</Th>
              </tr>
            </thead>
            <tbody>
              {history.map((h) => (
                <tr key={h.requestId}>
                  <Td>{when(h.at)}</Td>
                  <Td className="font-mono">{h.kind === 'budget' ? `${money(h.from)} → ${money(h.to)}` : h.kind}</Td>
                  <Td>
                    <Badge tone={statusTone(h.status)}>{h.status.replace(/_/g, ' ')}</Badge>
                  </Td>
                  <Td>{h.by}</Td>
                  <Td>{h.decidedBy ?? '—'}</Td>
                  <Td>
                    <a className="text-blue-800 underline" href={h.url} target="_blank" rel="noreferrer">
                      Temporal UI
                    </a>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </Card>
    </div>
  );
}
