// Ids by unique prefix: `mbo approvals approve 3f2a` instead of a whole uuid. A full id is used as it is; a prefix
// is looked up in the list the actor may read (paged through the use case), and must match exactly one.
import { AppError } from '../core/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MIN_PREFIX = 4;

type Page = { items: { id: string }[]; nextCursor: string | null };

export async function resolveIds(refs: string[], what: string, page: (cursor?: string) => Promise<Page>): Promise<string[]> {
  const wanted = refs.map((r) => r.trim().toLowerCase());
  for (const w of wanted)
    if (!UUID.test(w) && !(w.length >= MIN_PREFIX && /^[0-9a-f-]+$/.test(w)))
      throw new AppError('INVALID_INPUT', `"${w}" is not the id of a ${what} nor a prefix of one (at least ${MIN_PREFIX} hex characters)`, {
        fields: [{ path: 'id', message: 'an id or a prefix of one' }],
      });
  const prefixes = wanted.filter((w) => !UUID.test(w));
  const matches = new Map<string, string[]>(prefixes.map((p) => [p, []]));
  if (prefixes.length) {
    let cursor: string | undefined;
    do {
      const p = await page(cursor);
      for (const { id } of p.items) for (const pre of prefixes) if (id.startsWith(pre)) matches.get(pre)!.push(id);
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
  }
  return wanted.map((w) => {
    if (UUID.test(w)) return w;
    const m = [...new Set(matches.get(w))];
    if (!m.length) throw new AppError('NOT_FOUND', `no ${what} starting with ${w}`);
    if (m.length > 1)
      throw new AppError('INVALID_INPUT', `${w} matches ${m.length} ${what}s (${m.slice(0, 5).join(', ')}${m.length > 5 ? ', …' : ''}): give more characters`);
    return m[0]!;
  });
}
