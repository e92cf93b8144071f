import { describe, expect, it } from 'vitest';
import { changeDetails, changeSummary } from './change-summary.js';

describe('change summary (Temporal UI)', () => {
  const items = [
    { name: 'Brand', kind: 'budget' as const, fromBudget: '100', toBudget: '250.5' },
    { name: 'Prospecting', kind: 'budget' as const, fromBudget: '300.000000', toBudget: '600' },
    { name: 'Retargeting', kind: 'budget' as const, fromBudget: '50', toBudget: '49.5' },
  ];
  it('says what, where, how many, the net daily change and who asked, on one line', () => {
    expect(changeSummary('meta', items, 'ana')).toBe('Budget change · Meta · 3 campaigns · +450.00/day · requested by ana');
    expect(changeSummary('google_ads', [{ name: 'A', kind: 'budget', fromBudget: '10', toBudget: '7.5' }], 'rule:cpa')).toBe(
      'Budget change · Google Ads · 1 campaign · −2.50/day · requested by rule:cpa',
    );
    expect(changeSummary('tiktok', [{ name: 'A', kind: 'pause', fromBudget: '10' }], 'vera')).toBe('Pause · TikTok · 1 campaign · requested by vera');
  });
  it('lists the items (at most 20) with the reason', () => {
    expect(changeDetails(items.slice(0, 1), 'shift')).toBe('Reason: shift\n\n- Brand: 100.00 → 250.50/day');
    const many = Array.from({ length: 25 }, (_, i) => ({ name: `c${i}`, kind: 'pause' as const, fromBudget: '1' }));
    expect(changeDetails(many).split('\n')).toHaveLength(21);
  });
});
