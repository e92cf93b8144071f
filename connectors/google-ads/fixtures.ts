// Test accounts for the fake Google Ads API: a client account reached through a manager, with a shared budget,
// every bidding strategy MBO reads, a removed campaign and ten days of metrics; and an empty account.
import type { FakeCustomer, FakeMetricDay } from './fake-accounts.js';

export const MANAGER_ID = '9990001112';
export const CLIENT_ID = '1234567890';
export const EMPTY_ID = '5550001111';

/** Ten days of metrics for campaigns 101–103, amounts chosen so float sums would drift. */
export function metricDays(): FakeMetricDay[] {
  const out: FakeMetricDay[] = [];
  for (let d = 1; d <= 10; d++) {
    const date = `2026-11-${String(d).padStart(2, '0')}`;
    ['101', '102', '103'].forEach((campaignId, k) => {
      out.push({
        campaignId,
        date,
        costMicros: 10_100_000n * BigInt(d) + 333_333n * BigInt(k + 1),
        impressions: 1000 * d + k,
        clicks: 10 * d + k,
        conversions: [0.1, 0.2, 1.3][k]! * d,
        conversionsValue: [10.1, 0.7, 33.33][k]! * d,
      });
    });
  }
  return out;
}

export function clientAccount(): FakeCustomer {
  return {
    id: CLIENT_ID,
    descriptiveName: 'Acme Shoes',
    currencyCode: 'USD',
    timeZone: 'America/New_York',
    managedBy: MANAGER_ID,
    budgets: [
      { id: '201', amountMicros: 50_000_000n, explicitlyShared: false },
      { id: '202', amountMicros: 120_000_000n, explicitlyShared: true },
      { id: '203', amountMicros: 10_000_000n, explicitlyShared: false },
      { id: '204', amountMicros: 75_500_000n, explicitlyShared: false },
      { id: '205', amountMicros: 30_000_000n, explicitlyShared: false },
      { id: '206', amountMicros: 25_000_000n, explicitlyShared: false },
    ],
    campaigns: [
      { id: '101', name: 'Search – Brand', status: 'ENABLED', budgetId: '201', bidding: { type: 'MAXIMIZE_CONVERSIONS', targetCpaMicros: 12_500_000n } },
      { id: '102', name: 'Search – Generic', status: 'ENABLED', budgetId: '202', bidding: { type: 'TARGET_ROAS', targetRoas: 3.5 } },
      { id: '103', name: 'Display – Prospecting', status: 'PAUSED', budgetId: '202', bidding: { type: 'MAXIMIZE_CONVERSION_VALUE', targetRoas: 4.25 } },
      { id: '104', name: 'Old promo', status: 'REMOVED', budgetId: '203', bidding: { type: 'MANUAL_CPC' } },
      { id: '105', name: 'Performance Max', status: 'ENABLED', budgetId: '204', bidding: { type: 'MAXIMIZE_CONVERSION_VALUE' } },
      {
        id: '106',
        name: 'Portfolio bidding',
        status: 'ENABLED',
        budgetId: '205',
        bidding: { type: 'TARGET_CPA', targetCpaMicros: 9_000_000n },
        portfolio: `customers/${CLIENT_ID}/biddingStrategies/777`,
      },
      { id: '107', name: 'Search – Competitors', status: 'ENABLED', budgetId: '206', bidding: { type: 'TARGET_CPA', targetCpaMicros: 20_000_000n } },
    ],
    metrics: metricDays(),
  };
}

/** The manager (MCC) account itself: it has no campaigns or metrics of its own. */
export function managerAccount(): FakeCustomer {
  return {
    id: MANAGER_ID,
    descriptiveName: 'Acme Agency MCC',
    currencyCode: 'USD',
    timeZone: 'Europe/London',
    manager: true,
    campaigns: [],
    budgets: [],
    metrics: [],
  };
}

export function emptyAccount(): FakeCustomer {
  return { id: EMPTY_ID, descriptiveName: 'New shop', currencyCode: 'JPY', timeZone: 'Asia/Tokyo', campaigns: [], budgets: [], metrics: [] };
}
