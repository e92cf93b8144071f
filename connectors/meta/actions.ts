// Which of an insights row's `actions` / `action_values` count as MBO's conversions and conversion value.
// Meta reports one purchase under several overlapping action types (Ads Action Stats): `omni_purchase` (every
// channel: web, app, offline, on-Meta shops) covers `purchase`, which covers `offsite_conversion.fb_pixel_purchase`
// (the Pixel / Conversions API web purchase), `onsite_web_purchase`, `app_custom_event.fb_mobile_purchase`, …
// Summing them counts one purchase two or three times. So the configured list is an order of preference: the
// first type present in a row is the row's figure, the rest are ignored. An account that optimises for leads
// configures e.g. ["onsite_conversion.lead_grouped", "lead"]; one with a custom conversion its
// "offsite_conversion.custom.<id>".
import { parseMoney, toDecimalString } from '../../core/money.js';
import { ValidationError } from '../errors.js';

export const DEFAULT_CONVERSION_ACTION_TYPES: readonly string[] = ['omni_purchase', 'purchase', 'offsite_conversion.fb_pixel_purchase'];

/** An `actions` / `action_values` entry: { "action_type": "omni_purchase", "value": "12" } (value a numeric string). */
export interface ActionStat {
  action_type?: string;
  value?: string | number;
}

/** The value of the first preferred action type present in the list ("0" when none is). Exact decimal string. */
export function pickAction(stats: ActionStat[] | undefined, preference: readonly string[]): string {
  if (!stats || stats.length === 0) return '0';
  for (const type of preference) {
    const hit = stats.find((s) => s.action_type === type);
    if (hit && hit.value !== undefined) return normalize(String(hit.value));
  }
  return '0';
}

function normalize(v: string): string {
  // Values are integers or decimals ("3", "12.5", "149.99"); keep them exact, trimmed of trailing zeros.
  const s = toDecimalString(parseMoney(v));
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/**
 * The preference list from options (an array) or secrets (a JSON array or comma-separated text), else the
 * default. Refuses an empty list and duplicates.
 */
export function actionTypesFrom(option: readonly string[] | undefined, secret: string | undefined, fallback: readonly string[]): readonly string[] {
  let list: readonly string[] | undefined = option;
  if (!list && secret && secret.trim() !== '') {
    const t = secret.trim();
    if (t.startsWith('[')) {
      try {
        const parsed: unknown = JSON.parse(t);
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new Error('not a list of strings');
        list = parsed as string[];
      } catch {
        throw new ValidationError('meta: conversionActionTypes must be a JSON list of action types or comma-separated text', 'meta');
      }
    } else {
      list = t.split(',').map((x) => x.trim());
    }
  }
  if (!list) return fallback;
  const clean = list.map((x) => x.trim()).filter((x) => x !== '');
  if (clean.length === 0) throw new ValidationError('meta: the action-type list is empty', 'meta');
  if (new Set(clean).size !== clean.length) throw new ValidationError('meta: the action-type list names a type twice', 'meta');
  return clean;
}
