import { describe, expect, it } from 'vitest';
import { bidChangeProblem, proposeBidTarget } from './bid-change.js';

describe('bid-target change items', () => {
  it('proposes ±N % or an absolute target, exactly, in the kind the campaign uses', () => {
    expect(proposeBidTarget({ kind: 'target_cpa', value: '12.50' }, { by: -0.1 })).toEqual({ kind: 'target_cpa', value: '11.25' });
    expect(proposeBidTarget({ kind: 'target_roas', value: '3.5' }, { by: 0.15 })).toEqual({ kind: 'target_roas', value: '4.0250' });
    expect(proposeBidTarget({ kind: 'cost_cap', value: '20.00' }, { to: '21.5' })).toEqual({ kind: 'cost_cap', value: '21.50' });
  });

  it('refuses another strategy, non-positive values, no-ops and changes beyond the platform bound', () => {
    const cpa = { kind: 'target_cpa' as const, value: '10.00' };
    expect(bidChangeProblem('google_ads', cpa, { kind: 'target_cpa', value: '12.00' })).toBeNull();
    expect(bidChangeProblem('google_ads', cpa, { kind: 'target_cpa', value: '12.01' })).toMatch(/20\.1 % change .* ±20 %/);
    expect(bidChangeProblem('linkedin', cpa, { kind: 'target_cpa', value: '13.00' })).toBeNull();
    expect(bidChangeProblem('google_ads', cpa, { kind: 'target_roas', value: '3' })).toMatch(/switch its bidding strategy/);
    expect(bidChangeProblem('google_ads', null, { kind: 'target_cpa', value: '3' })).toMatch(/no bid target/);
    expect(bidChangeProblem('google_ads', cpa, { kind: 'target_cpa', value: '0' })).toMatch(/positive/);
    expect(bidChangeProblem('google_ads', cpa, { kind: 'target_cpa', value: '10' })).toMatch(/already/);
  });
});
