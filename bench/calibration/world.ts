// A sandbox world in memory, as SandboxPlatform.setup (connectors/sandbox/platform.ts) writes it and a sync then
// reads it back: the four accounts for a seed, `perAccount` campaigns each from the sandbox's generator
// (connectors/sandbox/model.ts), `historyDays` days of history before `today` at the sandbox's historical budgets,
// the last campaign of the Meta and LinkedIn accounts paused for the last 20 days. Only the active campaigns are
// returned — what-ifs and forecasts see only those (db/campaign-history.ts) — with their hidden truths.
// The loop mirrors setup's (which writes to Postgres as it goes): keep the two in step.
import { addDays, type IsoDate } from '../../core/dates.js';
import type { HistoryRow } from '../../core/optimizer/fit.js';
import { generateCampaign, hill, historicalBudget, simulateDay, type CampaignTruth } from '../../connectors/sandbox/model.js';
import { PLATFORMS, type PlatformKind } from '../../connectors/types.js';

export interface WorldOptions {
  seed: number;
  historyDays: number;
  today: IsoDate;
  /** Account ids are `${prefix}-${platform}`; campaign ids (and so the day noise) follow from them. */
  prefix: string;
  perAccount: number;
}

export interface SimCampaign {
  id: string;
  platform: PlatformKind;
  dailyBudget: number;
  truth: CampaignTruth;
  history: HistoryRow[];
}

export function sandboxWorld(o: WorldOptions): SimCampaign[] {
  const out: SimCampaign[] = [];
  for (const platform of PLATFORMS) {
    const accountId = `${o.prefix}-${platform}`;
    for (let i = 0; i < o.perAccount; i++) {
      const { truth, budget } = generateCampaign(o.seed, platform, i);
      const id = `${accountId}-c${String(i + 1).padStart(2, '0')}`;
      const paused = i === o.perAccount - 1 && (platform === 'meta' || platform === 'linkedin');
      let carry = 0;
      const history: HistoryRow[] = [];
      for (let d = 0; d < o.historyDays; d++) {
        const date = addDays(o.today, d - o.historyDays);
        const b = historicalBudget(truth, budget, o.seed, id, d, o.historyDays);
        const day = simulateDay(truth, b, !(paused && d >= o.historyDays - 20), carry, date, o.seed, id);
        carry = day.carry;
        // As the sync stores it and db/campaign-history.ts reads it: decimal spend and value, whole conversions.
        history.push({
          date,
          spend: Number((day.spendCents / 100).toFixed(2)),
          conversions: day.conversions,
          revenue: Number((day.valueCents / 100).toFixed(2)),
        });
      }
      if (!paused) out.push({ id, platform, dailyBudget: budget, truth, history });
    }
  }
  return out;
}

/** The true expected conversions per day at a steady daily budget (carry-over at its steady state), as test/e2e/insights.test.ts measures. */
export const trueDaily = (t: CampaignTruth, budget: number, season = 1): number => hill(t.curve, (t.pacing * budget) / (1 - t.adstock)) * season;
