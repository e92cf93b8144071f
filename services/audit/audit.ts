// Use case: read the audit trail of the workspace (any member), filtered by actor, entity, action and period,
// newest first.
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { listAuditSchema } from './audit.schema.js';

export async function listAuditEvents(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(listAuditSchema, raw);
  const after = q.cursor ? decodeCursor(q.cursor, 'int') : undefined;
  const rows = await ctx.app.prisma.auditEvent.findMany({
    where: {
      workspaceId: ctx.actor.workspaceId,
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.entityType ? { entityType: q.entityType } : {}),
      ...(q.entityId ? { entityId: q.entityId } : {}),
      ...(q.action ? (q.action.endsWith('.') ? { action: { startsWith: q.action } } : { action: q.action }) : {}),
      ...(q.since || q.until ? { occurredAt: { ...(q.since ? { gte: new Date(q.since) } : {}), ...(q.until ? { lte: new Date(q.until) } : {}) } } : {}),
      ...(after ? { id: { lt: BigInt(after.id) } } : {}),
    },
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    items: page.map((e) => ({
      id: e.id.toString(),
      occurredAt: e.occurredAt.toISOString(),
      actor: e.actor,
      action: e.action,
      entityType: e.entityType,
      entityId: e.entityId,
      before: e.before,
      after: e.after,
      workflowId: e.workflowId,
      details: e.details,
    })),
    nextCursor: rows.length > q.limit && last ? encodeCursor(last.occurredAt, last.id) : null,
  };
}
