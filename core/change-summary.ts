// The one-line summary and the short details a budget change shows in Temporal UI (the workflow's user metadata,
// beside its search attributes): "Budget change · Meta · 3 campaigns · +450.00/day · requested by ana". Pure and
// workflow-safe: computed when the request is stored and passed to the workflow start (client or child).
import { formatMoney, parseMoney } from './money.js';

export interface SummaryItem {
  name: string;
  kind: 'budget' | 'pause' | 'resume' | 'bid';
  fromBudget: string;
  toBudget?: string | null;
  bidKind?: string | null;
  fromBid?: string | null;
  toBid?: string | null;
}

const PLATFORM_NAMES: Record<string, string> = { google_ads: 'Google Ads', meta: 'Meta', tiktok: 'TikTok', linkedin: 'LinkedIn' };
export const platformName = (p: string) => PLATFORM_NAMES[p] ?? p;

const signed = (micros: bigint) => `${micros < 0n ? '−' : '+'}${formatMoney(micros < 0n ? -micros : micros)}`;
const MAX_DETAIL_LINES = 20;

/** "Budget change · Meta · 3 campaigns · +450.00/day · requested by ana" (pauses and resumes counted too). */
export function changeSummary(platform: string, items: SummaryItem[], requestedBy: string): string {
  const budgets = items.filter((i) => i.kind === 'budget');
  const pauses = items.filter((i) => i.kind === 'pause').length;
  const resumes = items.filter((i) => i.kind === 'resume').length;
  const bids = items.filter((i) => i.kind === 'bid').length;
  const what = budgets.length
    ? 'Budget change'
    : bids === items.length
      ? 'Bid target change'
      : pauses && !resumes && !bids
        ? 'Pause'
        : !pauses && resumes && !bids
          ? 'Resume'
          : 'Change';
  const parts = [what, platformName(platform), `${items.length} campaign${items.length === 1 ? '' : 's'}`];
  if (budgets.length) parts.push(`${signed(budgets.reduce((a, i) => a + parseMoney(i.toBudget ?? i.fromBudget) - parseMoney(i.fromBudget), 0n))}/day`);
  if (budgets.length && pauses) parts.push(`${pauses} paused`);
  if (budgets.length && resumes) parts.push(`${resumes} resumed`);
  parts.push(`requested by ${requestedBy}`);
  return parts.join(' · ');
}

/** A bid target as shown: up to 4 decimals, trailing zeros dropped beyond 2 ("12.50", "3.25", "4.025"). */
export const bidText = (v: string | null | undefined) => {
  if (v == null) return '?';
  const s = formatMoney(parseMoney(v), 4);
  return s.replace(/(\.\d\d\d*?)0+$/, '$1');
};

/** Markdown lines, one per item (at most 20): "- Brand Search: 100.00 → 120.00/day". */
export function changeDetails(items: SummaryItem[], reason?: string): string {
  const line = (i: SummaryItem) =>
    i.kind === 'budget'
      ? `- ${i.name}: ${formatMoney(parseMoney(i.fromBudget))} → ${formatMoney(parseMoney(i.toBudget ?? i.fromBudget))}/day`
      : i.kind === 'bid'
        ? `- ${i.name}: ${i.bidKind ?? 'bid target'} ${bidText(i.fromBid)} → ${bidText(i.toBid)}`
        : `- ${i.name}: ${i.kind}`;
  const lines = items.slice(0, MAX_DETAIL_LINES).map(line);
  if (items.length > MAX_DETAIL_LINES) lines.push(`- … and ${items.length - MAX_DETAIL_LINES} more`);
  return [...(reason ? [`Reason: ${reason}`, ''] : []), ...lines].join('\n');
}
