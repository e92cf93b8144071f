// Rest.li 2.0 query encoding (shared/api-guide/concepts/protocol-version): structural characters of a
// parameter — `List(`, `(`, `)`, `:`, `,` — stay literal, while the values inside (URNs above all) are
// percent-encoded, e.g. `campaigns=List(urn%3Ali%3AsponsoredCampaign%3A123)`. URLSearchParams would encode the
// structure too, which LinkedIn rejects (400 PARAM_INVALID), so queries are built by hand here.
import type { DateRange } from '../../core/dates.js';
import type { LinkedInDate } from './wire.js';

/** `List(a,b)` with each value percent-encoded. */
export function restliList(values: readonly string[]): string {
  return `List(${values.map(encodeURIComponent).join(',')})`;
}

export function restliDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `(year:${y},month:${m},day:${d})`;
}

/** `(start:(year:…,month:…,day:…),end:(…))`, both ends inclusive. */
export function restliDateRange(range: DateRange): string {
  return `(start:${restliDate(range.from)},end:${restliDate(range.to)})`;
}

export function isoFromLinkedInDate(d: LinkedInDate): string {
  return `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
}

/** Joins already-encoded Rest.li values into a query string (keys are plain words). */
export function restliQuery(params: [string, string | number | undefined][]): string {
  return params
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}
