// Ids by unique prefix: whole ids pass untouched (no lookup), a prefix must match exactly one id the actor can
// list (over every page), and a bad, unknown or ambiguous one is refused with the right error code.
import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors.js';
import { resolveIds } from './resolve.js';

const ids = ['3f2a0000-0000-4000-8000-000000000001', '3f2b0000-0000-4000-8000-000000000002', 'a1b2c3d4-0000-4000-8000-000000000003'];
/** Two pages, one id on the second, counting the lookups. */
function pages() {
  const calls: (string | undefined)[] = [];
  const page = async (cursor?: string) => {
    calls.push(cursor);
    return cursor ? { items: [{ id: ids[2]! }], nextCursor: null } : { items: [{ id: ids[0]! }, { id: ids[1]! }], nextCursor: 'next' };
  };
  return { page, calls };
}
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e) => (isAppError(e) ? e.code : String(e)),
  );

describe('resolveIds', () => {
  it('resolves prefixes over every page, several at once, and whole ids without a lookup', async () => {
    const p = pages();
    expect(await resolveIds(['3F2A', 'a1b2c3'], 'change request', p.page)).toEqual([ids[0], ids[2]]);
    expect(p.calls).toEqual([undefined, 'next']);
    const q = pages();
    expect(await resolveIds([ids[1]!], 'change request', q.page)).toEqual([ids[1]]);
    expect(q.calls).toEqual([]);
  });

  it('refuses a prefix that matches two ids (2, naming them), an unknown one (3), and one too short or not hex (2)', async () => {
    const two = async () => ({ items: [{ id: ids[0]! }, { id: '3f2a0000-0000-4000-8000-000000000009' }], nextCursor: null });
    await expect(resolveIds(['3f2a'], 'change request', two)).rejects.toThrow(/3f2a matches 2 change requests \(3f2a0000-.*\): give more characters/);
    expect(await codeOf(resolveIds(['3f2a'], 'change request', two))).toBe('INVALID_INPUT');
    await expect(resolveIds(['ffff'], 'alert', pages().page)).rejects.toThrow(/no alert starting with ffff/);
    expect(await codeOf(resolveIds(['ffff'], 'alert', pages().page))).toBe('NOT_FOUND');
    await expect(resolveIds(['3f2'], 'alert', pages().page)).rejects.toThrow(/at least 4 hex characters/);
    expect(await codeOf(resolveIds(['zzzz'], 'alert', pages().page))).toBe('INVALID_INPUT');
  });
});
