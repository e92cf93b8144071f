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
  const row = await app.prisma.apiKey.findUnique({ where: { prefix: parts.prefix }, include: { workspace: true } });
  if (!row || !sameHash(row.secretHash, sha256(parts.secret))) throw new AppError('UNAUTHENTICATED', 'unknown API key');
  if (row.revokedAt) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} was revoked`);
  if (row.expiresAt && row.expiresAt <= new Date()) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} expired on ${row.expiresAt.toISOString()}`);
  const member = await app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: row.workspaceId, userId: row.userId } } });
  if (!member) throw new AppError('UNAUTHENTICATED', `API key ${row.prefix} belongs to ${row.userId}, who is no longer a member of "${row.workspace.slug}"`);
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)
    await app.prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: new Date() } }).catch(() => {});
  return actorOf(row.userId, row.workspace, member.role, source, row.prefix);
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
