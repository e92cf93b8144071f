// What the live dashboard shows, fetched through the API in one go: per platform the last 14 days' spend and ROAS
// (one aggregate per day, for the sparklines) and the last sync, the pending approvals, the latest alerts, and
// the latest syncs. Pure reading: any member may run the dashboard.
import { formatMoney, parseMoney, ratio } from '../../core/money.js';
import type { ApiClient, ChangeRequestDetail, Me, StatusRow } from '../api-client.js';
import type { ChangeRequestView } from '../../services/change-requests/change-requests.schema.js';

export const DAYS = 14;

export interface PlatformLine {
  platform: string;
  currency: string | null;
  spend: string | null;
  revenue: string | null;
  roas: number | null;
  spendSeries: number[];
  roasSeries: (number | null)[];
  lastSync: StatusRow['lastSync'];
  active: number;
  campaigns: number;
}

export interface Snapshot {
  me: Me;
  from: string | null;
  to: string | null;
  platforms: PlatformLine[];
  pending: ChangeRequestView[];
  alerts: { id: string; createdAt: string; severity: string; kind: string; message: string; acknowledgedBy: string | null }[];
  syncs: { account: { platform: string; name: string }; status: string; startedAt: string; rows: number | null; error: string | null }[];
  at: Date;
}

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const num = (v: string | null | undefined) => (v == null ? 0 : Number(v));

export async function fetchSnapshot(api: ApiClient): Promise<Snapshot> {
  const [me, status, totals, pending, alerts, syncs] = await Promise.all([
    api.me(),
    api.status(),
    api.platformMetrics({}),
    api.changes({ status: ['PENDING_APPROVAL'], limit: 50 }),
    api.alerts({ limit: 20 }),
    api.syncRuns({ limit: 8 }),
  ]);
  const to = status.length ? totals.to : null;
  const days = to ? Array.from({ length: DAYS }, (_x, i) => addDays(to, i - DAYS + 1)) : [];
  const daily = await Promise.all(days.map((d) => api.platformMetrics({ from: d, to: d })));
  const period = to ? await api.platformMetrics({ from: days[0], to }) : undefined;
  const platforms: PlatformLine[] = status.map((s) => {
    const p = period?.platforms.find((x) => x.platform === s.platform);
    const perDay = daily.map((d) => d.platforms.find((x) => x.platform === s.platform));
    const spend = p?.spend ?? null;
    const revenue = p?.revenue ?? null;
    return {
      platform: s.platform,
      currency: p?.currency ?? s.currency,
      spend: spend === null ? null : formatMoney(parseMoney(spend)),
      revenue: revenue === null ? null : formatMoney(parseMoney(revenue)),
      roas: spend !== null && revenue !== null ? ratio(parseMoney(revenue), parseMoney(spend)) : null,
      spendSeries: perDay.map((x) => num(x?.spend)),
      roasSeries: perDay.map((x) => (x?.spend && num(x.spend) > 0 ? num(x.revenue) / num(x.spend) : null)),
      lastSync: s.lastSync,
      active: s.activeCampaigns,
      campaigns: s.campaigns,
    };
  });
  return {
    me,
    from: days[0] ?? null,
    to,
    platforms,
    pending: pending.items,
    alerts: alerts.items as Snapshot['alerts'],
    syncs: syncs.items as Snapshot['syncs'],
    at: new Date(),
  };
}

export type RequestDetail = ChangeRequestDetail;

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of the series (a gap for a missing value), scaled to its own min..max. */
export function sparkline(values: (number | null)[]): string {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!present.length) return ' '.repeat(values.length);
  const min = Math.min(...present);
  const max = Math.max(...present);
  return values
    .map((v) => (v === null || !Number.isFinite(v) ? ' ' : BARS[max === min ? 3 : Math.round(((v - min) / (max - min)) * (BARS.length - 1))]))
    .join('');
}
