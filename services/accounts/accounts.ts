// Use case: the workspace's ad accounts (any member) — platform, ids, currency, time zone, connector and the last
// sync. Credentials are never part of it.
import { requireRole, type ServiceContext } from '../actor.js';

export async function listAccounts(ctx: ServiceContext) {
  requireRole(ctx, 'viewer');
  const rows = await ctx.app.prisma.platformAccount.findMany({
    where: { workspaceId: ctx.actor.workspaceId },
    include: { syncRuns: { orderBy: { startedAt: 'desc' }, take: 1 }, _count: { select: { campaigns: true } } },
    orderBy: [{ platform: 'asc' }, { name: 'asc' }],
  });
  return rows.map((a) => ({
    id: a.id,
    platform: a.platform,
    externalId: a.externalId,
    name: a.name,
    currency: a.currency,
    timeZone: a.timeZone,
    connector: a.connector,
    connected: a.connector === 'sandbox' || !!a.credentialsRef,
    campaigns: a._count.campaigns,
    lastSync: a.syncRuns[0]
      ? { status: a.syncRuns[0].status, at: (a.syncRuns[0].finishedAt ?? a.syncRuns[0].startedAt).toISOString(), error: a.syncRuns[0].error }
      : null,
  }));
}
