// Turns a credential into an Actor: an API key (Authorization: Bearer, the CLI's key file, an MCP bearer) or a
// web session cookie. The role is the member's role now, so a demotion takes effect on the next call.
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../context.js';
import { impliedRoles, type Actor, type ActorSource, type Role } from '../actor.js';
import { sameHash, sha256, splitApiKey } from './tokens.js';

const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(app: AppContext, key: string | undefined, source: ActorSource): Promise<Actor> {
  if (!key) throw new AppError('UNAUTHENTICATED', 'an API key is required (Authorization: Bearer mbo_…)');
  const parts = splitApiKey(key);
  if (!parts) throw new AppError('UNAUTHENTICATED', 'that is not an MBO API key');
  // One round trip for the key, its workspace and the member's role now (this runs on every API request).
  const { rows } = await app.pool.query<{
    id: string;
    prefix: string;
    secret_hash: string;
    user_id: string;
    revoked_at: Date | null;
    expires_at: Date | null;
    last_used_at: Date | null;
    workspace_id: string;
    slug: string;
    role: Role | null;
  }>(
    `select k.id::text, k.prefix, k.secret_hash, k.user_id, k.revoked_at, k.expires_at, k.last_used_at, w.id::text as workspace_id, w.slug, m.role::text as role
       from api_key k join workspace w on w.id = k.workspace_id
       left join member m on m.workspace_id = k.workspace_id and m.user_id = k.user_id
      where k.prefix = $1`,
    [parts.prefix],
  );
  const row = rows[0];
  if (!row || !sameHash(row.secret_hash, sha256(parts.secret))) throw new AppError('UNAUTHENTICATED', 'unknown API key');
  if (row.revoked_at) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} was revoked`);
  if (row.expires_at && row.expires_at <= new Date()) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} expired on ${row.expires_at.toISOString()}`);
  if (!row.role) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} belongs to ${row.user_id}, who is no longer a member of "${row.slug}"`);
  if (!row.last_used_at || Date.now() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS)
    await app.pool.query('update api_key set last_used_at = now() where id = $1', [row.id]).catch(() => {});
  return actorOf(row.user_id, { slug: row.slug, id: row.workspace_id }, row.role, source, row.prefix);
}

export async function authenticateSession(app: AppContext, token: string | undefined): Promise<Actor & { csrfHash: string; sessionId: string }> {
  if (!token) throw new AppError('UNAUTHENTICATED', 'please log in');
  const s = await app.prisma.webSession.findUnique({ where: { id: sha256(token) } });
  if (!s || s.revokedAt || s.expiresAt <= new Date()) throw new AppError('UNAUTHENTICATED', 'your session has ended: please log in again');
  const member = await app.prisma.member.findUnique({
    where: { workspaceId_userId: { workspaceId: s.workspaceId, userId: s.userId } },
    include: { workspace: true },
  });
  if (!member) throw new AppError('UNAUTHENTICATED', 'you are no longer a member of this workspace');
  return { ...actorOf(s.userId, member.workspace, member.role, 'web', `session:${s.id.slice(0, 8)}`), csrfHash: s.csrfHash, sessionId: s.id };
}

export function actorOf(userId: string, ws: { slug: string; id: string }, role: Role, source: ActorSource, credential?: string): Actor {
  return { userId, workspace: ws.slug, workspaceId: ws.id, role, roles: impliedRoles(role), source, credential };
}
