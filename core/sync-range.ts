// Which days a sync should fetch. Platforms restate recent days (late conversions, invalid-click refunds),
// so a regular sync re-reads a lookback window; a first sync backfills the history.
import { addDays, type DateRange, type IsoDate } from './dates.js';

export interface SyncRangeInput {
  /** Account-local today; the range ends yesterday (today is incomplete). */
  today: IsoDate;
  /** Latest day already stored for the account, if any. */
  lastStoredDate?: IsoDate | null;
  backfillDays: number;
  lookbackDays: number;
}

export function planSyncRange(i: SyncRangeInput): DateRange {
  const to = addDays(i.today, -1);
  if (!i.lastStoredDate) return { from: addDays(i.today, -i.backfillDays), to };
  let from = addDays(i.lastStoredDate, -i.lookbackDays);
  const earliest = addDays(i.today, -i.backfillDays);
  if (from < earliest) from = earliest;
  if (from > to) from = to;
  return { from, to };
}
