// Use cases for the members of a workspace: list (anyone), add or change a role and remove (admins; never the
// last admin), set one's own password. Every change is audited.
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { hashPassword, verifyPassword } from '../auth/tokens.js';
import { parseInput } from '../input.js';
import { removeMemberSchema, setMemberSchema, setPasswordSchema, type MemberView } from './members.schema.js';

export async function listMembers(ctx: ServiceContext): Promise<MemberView[]> {
  requireRole(ctx, 'viewer');
  const rows = await ctx.app.prisma.member.findMany({ where: { workspaceId: ctx.actor.workspaceId }, include: { user: true }, orderBy: { userId: 'asc' } });
  return rows.map((m) => ({
    userId: m.userId,
    displayName: m.user.displayName,
    email: m.user.email,
    role: m.role,
    canLogIn: !!m.user.passwordHash,
    since: m.createdAt.toISOString(),
  }));
}

async function admins(ctx: ServiceContext) {
  return ctx.app.prisma.member.count({ where: { workspaceId: ctx.actor.workspaceId, role: 'admin' } });
}

export async function setMember(ctx: ServiceContext, raw: unknown): Promise<MemberView> {
  requireRole(ctx, 'admin');
  const input = parseInput(setMemberSchema, raw);
  const before = await ctx.app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId: input.userId } } });
  if (before?.role === 'admin' && input.role !== 'admin' && (await admins(ctx)) === 1)
    throw new AppError('CONFLICT', `${input.userId} is the last admin of "${ctx.actor.workspace}"; make someone else admin first`);
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.appUser.upsert({
      where: { id: input.userId },
      create: { id: input.userId, displayName: input.displayName ?? input.userId, email: input.email, passwordHash },
      update: {
        ...(input.displayName ? { displayName: input.displayName } : {}),
        ...(input.email ? { email: input.email } : {}),
        ...(passwordHash ? { passwordHash } : {}),
      },
    });
    await tx.member.upsert({
      where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId: input.userId } },
      create: { workspaceId: ctx.actor.workspaceId, userId: input.userId, role: input.role },
      update: { role: input.role },
    });
    await auditAs(ctx, tx, {
      action: before ? (before.role === input.role ? 'member.updated' : 'member.role_changed') : 'member.added',
      entityType: 'member',
      entityId: input.userId,
      before: before ? { role: before.role } : null,
      after: { role: input.role, passwordSet: !!passwordHash },
    });
  });
  return (await listMembers(ctx)).find((m) => m.userId === input.userId)!;
}

export async function removeMember(ctx: ServiceContext, raw: unknown): Promise<void> {
  requireRole(ctx, 'admin');
  const { userId } = parseInput(removeMemberSchema, raw);
  const m = await ctx.app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId } } });
  if (!m) throw new AppError('NOT_FOUND', `${userId} is not a member of "${ctx.actor.workspace}"`);
  if (m.role === 'admin' && (await admins(ctx)) === 1) throw new AppError('CONFLICT', `${userId} is the last admin of "${ctx.actor.workspace}"`);
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.member.delete({ where: { id: m.id } });
    // Their keys in this workspace stop working with the membership; revoke them so the record says so.
    await tx.apiKey.updateMany({ where: { workspaceId: ctx.actor.workspaceId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
    await auditAs(ctx, tx, { action: 'member.removed', entityType: 'member', entityId: userId, before: { role: m.role } });
  });
}

export async function setOwnPassword(ctx: ServiceContext, raw: unknown): Promise<void> {
  requireRole(ctx, 'viewer');
  const input = parseInput(setPasswordSchema, raw);
  const user = await ctx.app.prisma.appUser.findUniqueOrThrow({ where: { id: ctx.actor.userId } });
  if (user.passwordHash && !(await verifyPassword(input.currentPassword ?? '', user.passwordHash)))
    throw new AppError('FORBIDDEN', 'the current password is not right');
  await withTransaction(ctx.app.prisma, async (tx) => {
    await tx.appUser.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(input.newPassword) } });
    await tx.webSession.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
    await auditAs(ctx, tx, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
  });
}
