import { describe, expect, it } from 'vitest';
import { canonicalJson, changeFingerprint } from './change-fingerprint.js';

const items = [
  { seq: 0, campaignId: 'c1', kind: 'budget', fromBudget: '840', toBudget: '880.00' },
  { seq: 1, campaignId: 'c2', kind: 'pause', fromBudget: '10.5', toBudget: null },
];
const policy = { maxChangePct: 0.5, autoApprove: { maxChangePct: 0 }, fourEyes: true };

describe('change fingerprint', () => {
  it('is stable across key order, item order and how amounts are written', () => {
    const a = changeFingerprint('r1', items, policy);
    const b = changeFingerprint(
      'r1',
      [
        { ...items[1]!, fromBudget: '10.500000' },
        { ...items[0]!, toBudget: '880' },
      ],
      { fourEyes: true, autoApprove: { maxChangePct: 0 }, maxChangePct: 0.5 },
    );
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] })).toBe('{"a":[{"d":2}],"b":1}');
  });
  it('changes with any item content, the policy, or the request (issue 11, finding 2)', () => {
    const a = changeFingerprint('r1', items, policy);
    expect(changeFingerprint('r1', [{ ...items[0]!, toBudget: '9000' }, items[1]!], policy)).not.toBe(a);
    expect(changeFingerprint('r1', [{ ...items[0]!, campaignId: 'c3' }, items[1]!], policy)).not.toBe(a);
    expect(changeFingerprint('r1', [items[0]!, { ...items[1]!, kind: 'resume' }], policy)).not.toBe(a);
    expect(changeFingerprint('r1', items, { ...policy, maxChangePct: 5 })).not.toBe(a);
    expect(changeFingerprint('r2', items, policy)).not.toBe(a);
  });
});
