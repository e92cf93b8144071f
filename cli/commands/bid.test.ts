// `mbo bid set` options → the bid item the request schema validates (no API needed): --by in percent with or without
// a sign and "%", a kind-named value names the kind, and two new values at once are refused by the schema.
import { describe, expect, it } from 'vitest';
import { requestChangeSchema } from '../../services/change-requests/change-requests.schema.js';
import { bidItem, percent } from './bid.js';

const parse = (item: Record<string, unknown>) => requestChangeSchema.safeParse({ reason: 'r', items: [item] });

describe('mbo bid set', () => {
  it('reads --by as percent', () => {
    expect([percent('+10%'), percent('-15'), percent(' 12.5 % '), percent('ten')]).toEqual([10, -15, 12.5, NaN]);
  });

  it('builds the bid item from --to, --by or a kind-named value', () => {
    expect(bidItem('c1', { reason: 'r', by: '+10%' })).toEqual({ kind: 'bid', campaign: 'c1', byPct: 10 });
    expect(bidItem('c1', { reason: 'r', targetCpa: '42.50' })).toEqual({ kind: 'bid', campaign: 'c1', bidKind: 'target_cpa', to: '42.50' });
    expect(parse(bidItem('c1', { reason: 'r', targetRoas: '3.5' })).success).toBe(true);
    expect(parse(bidItem('c1', { reason: 'r', to: '12' })).success).toBe(true);
  });

  it('refuses none, two values, a zero or a non-positive target', () => {
    expect(parse(bidItem('c1', { reason: 'r' })).success).toBe(false);
    expect(parse(bidItem('c1', { reason: 'r', to: '12', costCap: '10' })).success).toBe(false);
    expect(parse(bidItem('c1', { reason: 'r', to: '12', by: '5' })).success).toBe(false);
    expect(parse(bidItem('c1', { reason: 'r', by: '0' })).success).toBe(false);
    expect(parse(bidItem('c1', { reason: 'r', by: '-100%' })).success).toBe(false);
    expect(parse(bidItem('c1', { reason: 'r', to: '0' })).success).toBe(false);
  });
});
