// Workspace and account look-ups every use case and activity needs, scoped so that an id from another workspace
// is simply not found (never "forbidden": that would confirm it exists).
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import type { PrismaClient } from './prisma.js';

export async function workspaceBySlug(db: Pick<PrismaClient, 'workspace'>, slug: string) {
  const ws = await db.workspace.findUnique({ where: { slug } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${slug}"`);
  return ws;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** An account of the workspace by MBO id or the platform's id. */
export async function accountInWorkspace(pool: pg.Pool, workspaceId: string, ref: string) {
  const { rows } = await pool.query<{ id: string; platform: string; external_id: string; name: string; currency: string; time_zone: string }>(
    `select id::text, platform::text, external_id, name, currency, time_zone from platform_account
      where workspace_id = $1 and (external_id = $2 or ($3 and id = $2::uuid))`,
    [workspaceId, ref, isUuid(ref)],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', `no account "${ref}" in this workspace`);
  return rows[0];
}
