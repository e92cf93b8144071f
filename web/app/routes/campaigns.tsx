// Campaigns: every campaign of the workspace with its budget, the last 14 synced days' spend and ROAS and a spend
// sparkline (services/campaigns: listCampaigns, campaignMetrics).
import { useLoaderData, type LoaderFunctionArgs } from 'react-router';
import { CampaignTable, type CampaignRow } from '../components/campaign-table';
import { Card } from '../components/ui/card';
import { campaignMetrics, listCampaigns } from '../lib/services.server';
import { requireUser } from '../lib/session.server';

export const meta = () => [{ title: 'Campaigns · MBO' }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { ctx } = await requireUser(request, context);
  const { items } = await listCampaigns(ctx, { limit: 200 });
  const rows: CampaignRow[] = await Promise.all(
    items.map(async (c) => {
      const m = await campaignMetrics(ctx, { campaign: c.id });
      const pts = m.points.slice(-14);
      const spend = pts.reduce((s, p) => s + Number(p.spend), 0);
      const revenue = pts.reduce((s, p) => s + Number(p.revenue), 0);
      return {
        id: c.id,
        name: c.name,
        externalId: c.externalId,
        platform: c.platform,
        account: c.account.name,
        status: c.status,
        dailyBudget: c.dailyBudget === null ? null : Number(c.dailyBudget),
        currency: c.currency,
        spend: Math.round(spend * 100) / 100,
        revenue,
        roas: spend ? revenue / spend : null,
        trend: pts.map((p) => Number(p.spend)),
      };
    }),
  );
  return { rows };
}

export default function Campaigns() {
  const { rows } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Campaigns</h1>
      <Card>
        <CampaignTable rows={rows} />
      </Card>
    </div>
  );
}
