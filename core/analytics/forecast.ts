// Forecasts and what-ifs from the fitted response models: expected daily outcome per campaign and for the
// portfolio over the next N days at given budgets (weekly seasonality applied), with 90% intervals for the
// expected value (or at the `level` asked for). `predictRoi` answers "what if we spent this?" for a set of budgets.
import { addDays, dayOfWeek, type IsoDate } from '../dates.js';
import { predictConversions, type ResponseModel } from '../optimizer/model.js';

const Z90 = 1.645;

/** The two-sided normal quantile for a central interval of probability `level` (0.9 → 1.645; Acklam's approximation). */
export function zFor(level: number): number {
  if (!(level > 0 && level < 1)) throw new RangeError(`an interval level is between 0 and 1, got ${level}`);
  const p = 0.5 + level / 2;
  const a = [-39.6968302866538, 220.946098424521, -275.928510446969, 138.357751867269, -30.6647980661472, 2.50662827745924];
  const b = [-54.4760987982241, 161.585836858041, -155.698979859887, 66.8013118877197, -13.2806815528857];
  const c = [-0.00778489400243029, -0.322396458041136, -2.40075827716184, -2.54973253934373, 4.37466414146497, 2.93816398269878];
  const d = [0.00778469570904146, 0.32246712907004, 2.445134137143, 3.75440866190742];
  if (p > 0.97575) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

export interface ForecastInput {
  campaignId: string;
  model: ResponseModel;
  dailyBudget: number;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface CampaignForecast {
  campaignId: string;
  days: { date: IsoDate; spend: number; conversions: Interval; revenue: Interval }[];
  total: { spend: number; conversions: Interval; revenue: Interval; roas: number | null };
}

export interface Forecast {
  campaigns: CampaignForecast[];
  portfolio: {
    days: { date: IsoDate; spend: number; conversions: Interval; revenue: Interval }[];
    total: { spend: number; conversions: Interval; revenue: Interval; roas: number | null };
  };
}

const intervalAt =
  (z: number) =>
  (value: number, sd: number): Interval => ({ value, low: Math.max(0, value - z * sd), high: value + z * sd });

export function forecast(inputs: ForecastInput[], start: IsoDate, days: number, level = 0.9): Forecast {
  const Z = level === 0.9 ? Z90 : zFor(level);
  const interval = intervalAt(Z);
  const dates = Array.from({ length: days }, (_, i) => addDays(start, i));
  const campaigns: CampaignForecast[] = inputs.map(({ campaignId, model, dailyBudget }) => {
    const p = predictConversions(model, dailyBudget);
    const spend = model.fit.pacing * dailyBudget;
    const perDay = dates.map((date) => {
      const f = model.fit.season[dayOfWeek(date)] ?? 1;
      return { date, spend, conversions: interval(p.mean * f, p.sd * f), revenue: interval(p.mean * f * model.fit.aov, p.sd * f * model.fit.aov) };
    });
    // Within a campaign the uncertainty is the curve's, shared by every day: standard deviations add up.
    const conv = perDay.reduce((a, d) => a + d.conversions.value, 0);
    const sd = dates.reduce((a, date) => a + p.sd * (model.fit.season[dayOfWeek(date)] ?? 1), 0);
    return {
      campaignId,
      days: perDay,
      total: {
        spend: spend * days,
        conversions: interval(conv, sd),
        revenue: interval(conv * model.fit.aov, sd * model.fit.aov),
        roas: spend > 0 ? (conv * model.fit.aov) / (spend * days) : null,
      },
    };
  });
  // Across campaigns the curves are independent: variances add up.
  const sumDay = (i: number) => {
    const conv = campaigns.reduce((a, c) => a + c.days[i]!.conversions.value, 0);
    const rev = campaigns.reduce((a, c) => a + c.days[i]!.revenue.value, 0);
    const sdc = Math.sqrt(campaigns.reduce((a, c) => a + ((c.days[i]!.conversions.high - c.days[i]!.conversions.value) / Z) ** 2, 0));
    const sdr = Math.sqrt(campaigns.reduce((a, c) => a + ((c.days[i]!.revenue.high - c.days[i]!.revenue.value) / Z) ** 2, 0));
    return { date: dates[i]!, spend: campaigns.reduce((a, c) => a + c.days[i]!.spend, 0), conversions: interval(conv, sdc), revenue: interval(rev, sdr) };
  };
  const pDays = dates.map((_, i) => sumDay(i));
  const tConv = campaigns.reduce((a, c) => a + c.total.conversions.value, 0);
  const tRev = campaigns.reduce((a, c) => a + c.total.revenue.value, 0);
  const tSpend = campaigns.reduce((a, c) => a + c.total.spend, 0);
  const sdConv = Math.sqrt(campaigns.reduce((a, c) => a + ((c.total.conversions.high - c.total.conversions.value) / Z) ** 2, 0));
  const sdRev = Math.sqrt(campaigns.reduce((a, c) => a + ((c.total.revenue.high - c.total.revenue.value) / Z) ** 2, 0));
  return {
    campaigns,
    portfolio: {
      days: pDays,
      total: { spend: tSpend, conversions: interval(tConv, sdConv), revenue: interval(tRev, sdRev), roas: tSpend > 0 ? tRev / tSpend : null },
    },
  };
}

/** What-if: expected daily spend, revenue, ROAS and ROI of a set of budgets (seasonality averaged out). */
export function predictRoi(inputs: ForecastInput[], level = 0.9): { spend: number; revenue: Interval; roas: Interval | null; roi: Interval | null } {
  let spend = 0;
  let revenue = 0;
  let variance = 0;
  for (const { model, dailyBudget } of inputs) {
    const p = predictConversions(model, dailyBudget);
    spend += model.fit.pacing * dailyBudget;
    revenue += p.mean * model.fit.aov;
    variance += (p.sd * model.fit.aov) ** 2;
  }
  const rev = intervalAt(level === 0.9 ? Z90 : zFor(level))(revenue, Math.sqrt(variance));
  const per = (f: (v: number) => number): Interval => ({ value: f(rev.value), low: f(rev.low), high: f(rev.high) });
  return { spend, revenue: rev, roas: spend > 0 ? per((v) => v / spend) : null, roi: spend > 0 ? per((v) => (v - spend) / spend) : null };
}
