import { describe, expect, it } from 'vitest';
import { CHANGE_TRANSITIONS, canTransition, isFinalStatus, type ChangeStatus } from './change-status.js';

describe('change request transitions', () => {
  it('allows the documented life cycle', () => {
    const path: ChangeStatus[] = ['EVALUATING', 'PENDING_APPROVAL', 'APPROVED', 'APPLYING', 'APPLIED'];
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('APPROVED', 'BLOCKED')).toBe(true); // guardrails re-checked at apply time
  });
  it('never leaves a final status, and never goes back to waiting (issue 11, finding 3)', () => {
    for (const s of ['REJECTED', 'EXPIRED', 'APPLIED', 'ROLLED_BACK', 'BLOCKED', 'FAILED'] as ChangeStatus[]) {
      expect(isFinalStatus(s)).toBe(true);
      for (const to of Object.keys(CHANGE_TRANSITIONS) as ChangeStatus[]) expect(canTransition(s, to)).toBe(false);
    }
    expect(canTransition('PENDING_APPROVAL', 'APPLYING')).toBe(false); // not without an approval
    expect(canTransition('EVALUATING', 'APPLYING')).toBe(false);
    expect(canTransition('APPLYING', 'PENDING_APPROVAL')).toBe(false);
  });
});
