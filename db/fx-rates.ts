// The fx_rate table: daily exchange rates loaded from a file (ECB eurofxref XML or CSV, see core/fx.ts) and read
// back as an FxTable for the days a report spans. Stored metric amounts stay in the account currency; only reads
// convert (db/rollups.ts).
import { readFile } from 'node:fs/promises';
import type pg from 'pg';
import { addDays, type IsoDate } from '../core/dates.js';
import { FxTable, parseEcbXml, parseFxCsv, type FxRateRow } from '../core/fx.js';

/** Upserts rates; a rate already stored for (base, quote, date) is replaced when it differs. Returns rows written. */
export async function storeFxRates(pool: pg.Pool, rows: FxRateRow[], source: string): Promise<number> {
  if (!rows.length) return 0;
  const byKey = new Map(rows.map((r) => [`${r.base}/${r.quote}/${r.date}`, r]));
  const uniq = [...byKey.values()];
  const { rowCount } = await pool.query(
    `insert into fx_rate (base, quote, date, rate, source, loaded_at)
     select u.base, u.quote, u.date, u.rate, $5, now()
       from unnest($1::text[], $2::text[], $3::date[], $4::numeric[]) as u(base, quote, date, rate)
     on conflict (base, quote, date) do update set rate = excluded.rate, source = excluded.source, loaded_at = now()
       where fx_rate.rate is distinct from excluded.rate`,
    [uniq.map((r) => r.base), uniq.map((r) => r.quote), uniq.map((r) => r.date), uniq.map((r) => r.rate), source],
  );
  return rowCount ?? 0;
}

/** Parses an ECB-style XML feed or a CSV file (by its content) and stores its rates. */
export async function loadFxFile(pool: pg.Pool, file: string): Promise<{ rates: number; stored: number }> {
  const text = await readFile(file, 'utf8');
  const rows = /^\s*</.test(text) ? parseEcbXml(text) : parseFxCsv(text);
  return { rates: rows.length, stored: await storeFxRates(pool, rows, file) };
}

/**
 * The rates needed to convert `currencies` into `target` for days in [from, to]: every stored pair between those
 * currencies or through a common base, from maxStaleDays before `from` (the latest rate before a day counts).
 */
export async function fxTableFor(
  pool: pg.Pool,
  q: { currencies: string[]; target: string; from: IsoDate; to: IsoDate; maxStaleDays?: number },
): Promise<FxTable> {
  const maxStale = q.maxStaleDays ?? 7;
  const wanted = [...new Set([...q.currencies, q.target])];
  const { rows } = await pool.query<FxRateRow>(
    `select trim(base) as base, trim(quote) as quote, date, rate::text as rate from fx_rate
      where (quote = any($1::text[]) or base = any($1::text[])) and date between $2::date and $3::date`,
    [wanted, addDays(q.from, -maxStale), q.to],
  );
  return new FxTable(rows, maxStale);
}
