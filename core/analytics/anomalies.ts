// Anomaly detection on daily spend, conversions, CPA and conversion rate against a seasonal baseline: each
// day is compared with the same weekday of the previous weeks (median), on a robust scale (MAD of recent
// deviations) that never falls below the metric's own sampling noise. Each anomaly says what happened in a
// sentence a marketer can act on.
import { dayOfWeek, type IsoDate } from '../dates.js';

export interface DailyRow {
  date: IsoDate;
  spend: number;
  conversions: number;
  clicks: number;
  impressions?: number;
}

export type AnomalyMetric = 'spend' | 'conversions' | 'cpa' | 'conversion_rate';
export type Severity = 'info' | 'warning' | 'critical';

export interface Anomaly {
  date: IsoDate;
  metric: AnomalyMetric;
  value: number;
  baseline: number;
  changePct: number;
  z: number;
  severity: Severity;
  direction: 'up' | 'down';
  message: string;
}

export interface AnomalyOptions {
  /** How many of the latest days to evaluate (default 1). */
  days?: number;
  /** Weeks of history that form the seasonal baseline (default 4). */
  weeks?: number;
  /** Smallest relative change worth reporting (default 0.15). */
  minChange?: number;
  label?: string;
}

const WEEKDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const metricValue = (r: DailyRow, m: AnomalyMetric): number | null => {
  switch (m) {
    case 'spend':
      return r.spend;
    case 'conversions':
      return r.conversions;
    case 'cpa':
      return r.conversions > 0 ? r.spend / r.conversions : null;
    case 'conversion_rate':
      return r.clicks > 0 ? r.conversions / r.clicks : null;
  }
};

/** The metric's own sampling noise at its baseline: the floor under the robust scale. */
function noiseFloor(m: AnomalyMetric, baseline: number, row: DailyRow): number {
  switch (m) {
    case 'spend':
      return Math.max(0.03 * baseline, 1);
    case 'conversions':
      return Math.max(Math.sqrt(Math.max(baseline, 1)), 0.1 * baseline);
    case 'cpa':
      return baseline / Math.sqrt(Math.max(row.conversions, 1));
    case 'conversion_rate':
      return Math.sqrt((baseline * (1 - baseline)) / Math.max(row.clicks, 1));
  }
}

function fmt(m: AnomalyMetric, v: number): string {
  if (m === 'conversion_rate') return `${(v * 100).toFixed(2)}%`;
  if (m === 'conversions') return v.toFixed(v % 1 ? 1 : 0);
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

const NAMES: Record<AnomalyMetric, string> = { spend: 'Spend', conversions: 'Conversions', cpa: 'CPA', conversion_rate: 'Conversion rate' };

export function detectAnomalies(rows: DailyRow[], opts: AnomalyOptions = {}): Anomaly[] {
  const weeks = opts.weeks ?? 4;
  const minChange = opts.minChange ?? 0.15;
  const sorted = [...rows].sort((a, b) => (a.date < b.date ? -1 : 1));
  const byDate = new Map(sorted.map((r) => [r.date, r]));
  const days = Math.min(opts.days ?? 1, sorted.length);
  const out: Anomaly[] = [];
  const prior = (date: IsoDate, k: number): DailyRow | undefined =>
    byDate.get(new Date(Date.parse(`${date}T00:00:00Z`) - k * 86_400_000).toISOString().slice(0, 10));

  const baselineOf = (date: IsoDate, m: AnomalyMetric): number | null => {
    const same = Array.from({ length: weeks }, (_, w) => prior(date, 7 * (w + 1)))
      .map((r) => (r ? metricValue(r, m) : null))
      .filter((v): v is number => v !== null);
    if (same.length >= 2) return median(same);
    const recent = Array.from({ length: 14 }, (_, k) => prior(date, k + 1))
      .map((r) => (r ? metricValue(r, m) : null))
      .filter((v): v is number => v !== null);
    return recent.length >= 5 ? median(recent) : null;
  };

  for (const row of sorted.slice(sorted.length - days)) {
    for (const m of ['spend', 'conversions', 'cpa', 'conversion_rate'] as AnomalyMetric[]) {
      const value = metricValue(row, m);
      const baseline = baselineOf(row.date, m);
      if (value === null || baseline === null) continue;
      // Robust scale: how far recent days strayed from their own seasonal baselines.
      const devs: number[] = [];
      for (let k = 1; k <= 7 * weeks; k++) {
        const r = prior(row.date, k);
        const v = r ? metricValue(r, m) : null;
        const b = r ? baselineOf(r.date, m) : null;
        if (v !== null && b !== null) devs.push(v - b);
      }
      const mad = devs.length >= 7 ? 1.4826 * median(devs.map((d) => Math.abs(d - median(devs)))) : 0;
      const scale = Math.max(mad, noiseFloor(m, baseline, row));
      const z = (value - baseline) / scale;
      const changePct = baseline !== 0 ? (value - baseline) / Math.abs(baseline) : value === 0 ? 0 : Infinity;
      const dead = m === 'conversions' && value === 0 && baseline >= 8;
      if (!dead && (Math.abs(z) < 3 || Math.abs(changePct) < minChange)) continue;
      const severity: Severity = dead || Math.abs(z) >= 6 ? 'critical' : Math.abs(z) >= 4 ? 'warning' : 'info';
      const direction = value >= baseline ? 'up' : 'down';
      const weekday = WEEKDAY[dayOfWeek(row.date)];
      const who = opts.label ? ` for ${opts.label}` : '';
      const pct = Number.isFinite(changePct) ? `${Math.abs(changePct * 100).toFixed(0)}% ${direction === 'up' ? 'above' : 'below'}` : 'far from';
      let message = `${NAMES[m]}${who} on ${weekday} ${row.date} was ${fmt(m, value)}, ${pct} the usual ${fmt(m, baseline)} for a ${weekday}${Number.isFinite(z) ? ` (${Math.abs(z).toFixed(1)} deviations)` : ''}.`; // a baseline of 0 has no scale
      if (dead)
        message = `Conversions${who} dropped to 0 on ${weekday} ${row.date} against a usual ${fmt(m, baseline)}: tracking may be broken (pixel, tag or conversion import).`;
      else if (m === 'spend' && direction === 'up') message += ' Check for a budget change or runaway bidding.';
      else if (m === 'spend' && direction === 'down') message += ' Delivery may be limited (disapprovals, payment, paused ad sets).';
      else if (m === 'cpa' && direction === 'up') message += ' Each conversion is getting more expensive.';
      out.push({ date: row.date, metric: m, value, baseline, changePct, z, severity, direction, message });
    }
  }
  const rank: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
  return out.sort((a, b) => rank[a.severity] - rank[b.severity] || Math.abs(b.z) - Math.abs(a.z));
}
