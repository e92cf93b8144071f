// The fake Google Ads API's accounts and how GAQL reads them: customers, campaigns, budgets and daily metrics,
// the GAQL fields the fake serves (each as Google renders it in REST JSON: int64 as strings, doubles as numbers,
// enums as names, unset fields omitted) and rows built the way Google builds them — the selected fields plus the
// resourceName of each selected resource, one row per campaign and day when segments or metrics are selected.
import { GaqlError, compare, jsonPath, matches, parseGaql, setPath, type GaqlQuery } from './fake-gaql.js';

export type FakeBidding =
  | { type: 'MANUAL_CPC' }
  | { type: 'TARGET_CPA'; targetCpaMicros: bigint }
  | { type: 'MAXIMIZE_CONVERSIONS'; targetCpaMicros?: bigint }
  | { type: 'TARGET_ROAS'; targetRoas: number }
  | { type: 'MAXIMIZE_CONVERSION_VALUE'; targetRoas?: number };

export interface FakeCampaign {
  id: string;
  name: string;
  status: 'ENABLED' | 'PAUSED' | 'REMOVED';
  budgetId: string;
  bidding: FakeBidding;
  /** Resource name of a portfolio bidding strategy, when the campaign uses one. */
  portfolio?: string;
}

export interface FakeBudget {
  id: string;
  amountMicros: bigint;
  explicitlyShared: boolean;
}

export interface FakeMetricDay {
  campaignId: string;
  date: string;
  costMicros: bigint;
  impressions: number;
  clicks: number;
  conversions: number;
  conversionsValue: number;
}

export interface FakeCustomer {
  id: string;
  descriptiveName: string;
  currencyCode: string;
  timeZone: string;
  manager?: boolean;
  /** Reached through this manager: calls must carry login-customer-id = managedBy. */
  managedBy?: string;
  campaigns: FakeCampaign[];
  budgets: FakeBudget[];
  metrics: FakeMetricDay[];
}

/** One row before projection: the customer, and the campaign, its budget and a metrics day where they apply. */
type Ctx = {
  customer: FakeCustomer;
  campaign?: FakeCampaign;
  budget?: FakeBudget;
  day?: Omit<FakeMetricDay, 'campaignId' | 'date'> & { date?: string };
};

/** A GAQL query against one customer: the REST rows and the fieldMask Google returns with them. */
export function runQuery(customer: FakeCustomer, text: string): { rows: Record<string, unknown>[]; fieldMask: string } {
  const q = parseGaql(text);
  if (q.resource !== 'customer' && q.resource !== 'campaign')
    throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in FROM clause: invalid resource name '${q.resource}'.`);
  const used = [...q.fields, ...q.where.map((c) => c.field), ...q.orderBy.map((o) => o.field)];
  for (const f of used) {
    if (!FIELDS[f]) throw new GaqlError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${f}'.`);
    if (q.resource === 'customer' && !f.startsWith('customer.'))
      throw new GaqlError('PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE', `Cannot select or filter on '${f}' when the resource in the FROM clause is 'customer'.`);
  }
  let ctxs = contexts(customer, q, used);
  ctxs = ctxs.filter((x) => q.where.every((c) => matches(FIELDS[c.field]!(x), c)));
  if (q.resource === 'campaign' && !q.fields.includes('segments.date') && used.some((f) => f.startsWith('metrics.'))) ctxs = aggregate(ctxs);
  for (const o of [...q.orderBy].reverse()) ctxs.sort((a, b) => compare(FIELDS[o.field]!(a), FIELDS[o.field]!(b)) * (o.desc ? -1 : 1));
  if (q.limit !== undefined) ctxs = ctxs.slice(0, q.limit);
  return { rows: ctxs.map((x) => project(x, q)), fieldMask: q.fields.map((f) => jsonPath(f).join('.')).join(',') };
}

function contexts(customer: FakeCustomer, q: GaqlQuery, used: string[]): Ctx[] {
  if (q.resource === 'customer') return [{ customer }];
  const budgetOf = (c: FakeCampaign) => customer.budgets.find((b) => b.id === c.budgetId);
  if (!used.some((f) => f.startsWith('segments.') || f.startsWith('metrics.')))
    return customer.campaigns.map((c) => ({ customer, campaign: c, budget: budgetOf(c) }));
  return customer.metrics.flatMap((m) => {
    const campaign = customer.campaigns.find((c) => c.id === m.campaignId);
    return campaign ? [{ customer, campaign, budget: budgetOf(campaign), day: m }] : [];
  });
}

/** GAQL field → its REST JSON value for a row context (undefined = not set, omitted like proto3 JSON does). */
const FIELDS: Record<string, (x: Ctx) => unknown> = {
  'customer.id': (x) => x.customer.id,
  'customer.descriptive_name': (x) => x.customer.descriptiveName,
  'customer.currency_code': (x) => x.customer.currencyCode,
  'customer.time_zone': (x) => x.customer.timeZone,
  'customer.manager': (x) => x.customer.manager ?? false,
  'campaign.id': (x) => x.campaign?.id,
  'campaign.name': (x) => x.campaign?.name,
  'campaign.status': (x) => x.campaign?.status,
  'campaign.bidding_strategy_type': (x) => x.campaign?.bidding.type,
  'campaign.bidding_strategy': (x) => x.campaign?.portfolio,
  'campaign.campaign_budget': (x) => x.campaign && `customers/${x.customer.id}/campaignBudgets/${x.campaign.budgetId}`,
  'campaign.target_cpa.target_cpa_micros': (x) => (x.campaign?.bidding.type === 'TARGET_CPA' ? String(x.campaign.bidding.targetCpaMicros) : undefined),
  'campaign.maximize_conversions.target_cpa_micros': (x) =>
    x.campaign?.bidding.type === 'MAXIMIZE_CONVERSIONS' && x.campaign.bidding.targetCpaMicros !== undefined
      ? String(x.campaign.bidding.targetCpaMicros)
      : undefined,
  'campaign.target_roas.target_roas': (x) => (x.campaign?.bidding.type === 'TARGET_ROAS' ? x.campaign.bidding.targetRoas : undefined),
  'campaign.maximize_conversion_value.target_roas': (x) =>
    x.campaign?.bidding.type === 'MAXIMIZE_CONVERSION_VALUE' ? x.campaign.bidding.targetRoas : undefined,
  'campaign_budget.id': (x) => x.budget?.id,
  'campaign_budget.amount_micros': (x) => x.budget && String(x.budget.amountMicros),
  'campaign_budget.explicitly_shared': (x) => x.budget?.explicitlyShared,
  'campaign_budget.reference_count': (x) =>
    x.budget && String(x.customer.campaigns.filter((c) => c.budgetId === x.budget!.id && c.status !== 'REMOVED').length),
  'campaign_budget.period': (x) => x.budget && 'DAILY',
  'segments.date': (x) => x.day?.date,
  'metrics.cost_micros': (x) => x.day && String(x.day.costMicros),
  'metrics.impressions': (x) => x.day && String(x.day.impressions),
  'metrics.clicks': (x) => x.day && String(x.day.clicks),
  'metrics.conversions': (x) => x.day?.conversions,
  'metrics.conversions_value': (x) => x.day?.conversionsValue,
};

const RESOURCE_NAME: Record<string, (x: Ctx) => string | undefined> = {
  customer: (x) => `customers/${x.customer.id}`,
  campaign: (x) => x.campaign && `customers/${x.customer.id}/campaigns/${x.campaign.id}`,
  campaign_budget: (x) => x.budget && `customers/${x.customer.id}/campaignBudgets/${x.budget.id}`,
};

/** A row as Google returns it: the selected fields plus each selected resource's resourceName. */
function project(x: Ctx, q: GaqlQuery): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of q.fields) {
    const resource = f.slice(0, f.indexOf('.'));
    const name = RESOURCE_NAME[resource]?.(x);
    if (name) setPath(row, [...jsonPath(resource), 'resourceName'], name);
    const v = FIELDS[f]!(x);
    if (v !== undefined) setPath(row, jsonPath(f), v);
  }
  return row;
}

/** Metrics without segments.date: one row per campaign, summed over the days the WHERE clause kept. */
function aggregate(ctxs: Ctx[]): Ctx[] {
  const by = new Map<string, Ctx>();
  for (const x of ctxs) {
    const key = x.campaign!.id;
    const acc = by.get(key);
    const d = x.day!;
    if (!acc)
      by.set(key, {
        ...x,
        day: { costMicros: d.costMicros, impressions: d.impressions, clicks: d.clicks, conversions: d.conversions, conversionsValue: d.conversionsValue },
      });
    else {
      const a = acc.day!;
      acc.day = {
        costMicros: a.costMicros + d.costMicros,
        impressions: a.impressions + d.impressions,
        clicks: a.clicks + d.clicks,
        conversions: a.conversions + d.conversions,
        conversionsValue: a.conversionsValue + d.conversionsValue,
      };
    }
  }
  return [...by.values()];
}

/** The GAQL fields the fake knows (schema.test.ts checks them against Google's protos). */
export const FAKE_GAQL_FIELDS: readonly string[] = Object.keys(FIELDS);
