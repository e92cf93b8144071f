// Web sessions: log in with a password (scrypt), get a random session token (the cookie) and a CSRF token; the
// database keeps only their hashes. Sessions last 12 hours; logging out or changing the password ends them.
import { AppError } from '../../core/errors.js';
import type { AppContext } from '../context.js';
import type { ServiceContext } from '../actor.js';
import { recordAudit } from '../../db/audit.js';
import { parseInput } from '../input.js';
import { actorOf } from './authenticate.js';
import { logInSchema, switchWorkspaceSchema } from './sessions.schema.js';
import { newToken, verifyPassword } from './tokens.js';

export const SESSION_HOURS = 12;

export async function logIn(app: AppContext, raw: unknown) {
  const input = parseInput(logInSchema, raw);
  const user = await app.prisma.appUser.findFirst({ where: { OR: [{ id: input.user }, { email: input.user }] } });
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'wrong user or password');
  const member = await app.prisma.member.findFirst({
    where: { userId: user.id, ...(input.workspace ? { workspace: { slug: input.workspace } } : {}) },
    include: { workspace: true },
    orderBy: { createdAt: 'asc' },
  });
  if (!member)
    throw new AppError('UNAUTHENTICATED', input.workspace ? `you are not a member of "${input.workspace}"` : 'you are not a member of any workspace');
  const session = newToken();
  const csrf = newToken();
  const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
  await app.prisma.webSession.create({ data: { id: session.hash, userId: user.id, workspaceId: member.workspaceId, csrfHash: csrf.hash, expiresAt } });
  await recordAudit(app.prisma, {
    workspaceId: member.workspaceId,
    actor: user.id,
    action: 'session.created',
    entityType: 'user',
    entityId: user.id,
    details: { source: 'web' },
  });
  return { sessionToken: session.token, csrfToken: csrf.token, expiresAt, actor: actorOf(user.id, member.workspace, member.role, 'web') };
}

export async function logOut(ctx: ServiceContext, sessionId: string): Promise<void> {
  await ctx.app.prisma.webSession.updateMany({ where: { id: sessionId, userId: ctx.actor.userId }, data: { revokedAt: new Date() } });
}

/**
 * Re-scopes this web session to another workspace the user is a member of (the same cookie and CSRF token; the
 * role is the member's role there). Refused (FORBIDDEN, nothing changed) for a workspace they do not belong to.
 */
export async function switchWorkspace(ctx: ServiceContext, sessionId: string, raw: unknown) {
  const { workspace } = parseInput(switchWorkspaceSchema, raw);
  const member = await ctx.app.prisma.member.findFirst({ where: { userId: ctx.actor.userId, workspace: { slug: workspace } }, include: { workspace: true } });
  if (!member) throw new AppError('FORBIDDEN', `you are not a member of "${workspace}"`);
  const moved = await ctx.app.prisma.webSession.updateMany({
    where: { id: sessionId, userId: ctx.actor.userId, revokedAt: null },
    data: { workspaceId: member.workspaceId },
  });
  if (moved.count !== 1) throw new AppError('UNAUTHENTICATED', 'your session has ended: please log in again');
  await recordAudit(ctx.app.prisma, {
    workspaceId: member.workspaceId,
    actor: ctx.actor.userId,
    action: 'session.workspace_switched',
    entityType: 'user',
    entityId: ctx.actor.userId,
    details: { source: 'web', from: ctx.actor.workspace },
  });
  return actorOf(ctx.actor.userId, member.workspace, member.role, 'web');
}
