// Forecasts and what-ifs from the fitted response models: expected daily outcome per campaign and for the
// portfolio over the next N days at given budgets (weekly seasonality applied), with 90% intervals for the
// expected value (or at the `level` asked for). `predictRoi` answers "what if we spent this?" for a set of budgets.
// Intervals are calibrated (calibration.ts): the model's sd plus a relative model discrepancy, times the
// conformal quantile of the level — not the normal quantile, which the measured coverage did not support.
import { addDays, dayOfWeek, type IsoDate } from '../dates.js';
import { predictConversions, type ResponseModel } from '../optimizer/model.js';
import { predictiveSd, scoreQuantile } from './calibration.js';

export { zFor } from './calibration.js';

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
  const Z = scoreQuantile(level);
  const interval = intervalAt(Z);
  const dates = Array.from({ length: days }, (_, i) => addDays(start, i));
  const campaigns: CampaignForecast[] = inputs.map(({ campaignId, model, dailyBudget }) => {
    const raw = predictConversions(model, dailyBudget);
    const p = { mean: raw.mean, sd: predictiveSd(raw.mean, raw.sd) };
    const spend = model.fit.pacing * dailyBudget;
    const perDay = dates.map((date) => {
      const f = model.fit.season[dayOfWeek(date)] ?? 1;
      return { date, spend, conversions: interval(p.mean * f, p.sd * f), revenue: interval(p.mean * f * model.fit.aov, p.sd * f * model.fit.aov) };
    });
    // Within a campaign the uncertainty is the curve's and its level's, shared by every day: standard deviations add up.
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
    variance += (predictiveSd(p.mean, p.sd) * model.fit.aov) ** 2;
  }
  const rev = intervalAt(scoreQuantile(level))(revenue, Math.sqrt(variance));
  const per = (f: (v: number) => number): Interval => ({ value: f(rev.value), low: f(rev.low), high: f(rev.high) });
  return { spend, revenue: rev, roas: spend > 0 ? per((v) => v / spend) : null, roi: spend > 0 ? per((v) => (v - spend) / spend) : null };
}
