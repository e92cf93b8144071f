// Keyset paging shared by list use cases: an opaque cursor of (time, id), newest first.
import { AppError } from '../core/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(at: Date, id: string | bigint): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string, kind: 'uuid' | 'int' = 'uuid'): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  const idOk = kind === 'uuid' ? UUID.test(id ?? '') : /^\d{1,18}$/.test(id ?? '');
  if (!idOk || Number.isNaN(d.getTime()))
    throw new AppError('INVALID_INPUT', 'cursor: not a cursor from a previous page', { fields: [{ path: 'cursor', message: 'unknown cursor' }] });
  return { at: d, id: id! };
}

/** The Prisma condition for "after this cursor" in (time desc, id desc) order. */
export function after<F extends string>(field: F, cursor: string | undefined): Record<string, unknown> {
  if (!cursor) return {};
  const c = decodeCursor(cursor);
  return { OR: [{ [field]: { lt: c.at } }, { [field]: c.at, id: { lt: c.id } }] };
}

/** Rows fetched with `take: limit + 1` → the page and the cursor of the next one (null on the last page). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, at: (r: T) => Date): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { page, nextCursor: rows.length > limit && last ? encodeCursor(at(last), last.id) : null };
}
