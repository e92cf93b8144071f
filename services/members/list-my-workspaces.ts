// The workspaces the acting user belongs to, with their role in each: what the web app's workspace switcher offers
// (any member may read their own memberships; nobody else's). Switching itself is services/auth/sessions.ts.
import { requireRole, type ServiceContext } from '../actor.js';
import type { MyWorkspaceView } from './members.schema.js';

export async function listMyWorkspaces(ctx: ServiceContext): Promise<MyWorkspaceView[]> {
  requireRole(ctx, 'viewer');
  const rows = await ctx.app.prisma.member.findMany({
    where: { userId: ctx.actor.userId },
    include: { workspace: true },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((m) => ({
    slug: m.workspace.slug,
    name: m.workspace.name,
    role: m.role,
    current: m.workspaceId === ctx.actor.workspaceId,
  }));
}
