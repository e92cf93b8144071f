// Use cases for alerts: list (anyone; newest first, filterable), acknowledge and resolve with a note (analysts and
// above; audited).
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { acknowledgeAlertNoteSchema, listAlertsSchema, resolveAlertSchema } from './alerts.schema.js';

type AlertRow = Awaited<ReturnType<ServiceContext['app']['prisma']['alert']['findFirstOrThrow']>>;
const view = (a: AlertRow) => ({
  id: a.id,
  kind: a.kind,
  severity: a.severity,
  message: a.message,
  entityType: a.entityType,
  entityId: a.entityId,
  details: a.details,
  createdAt: a.createdAt.toISOString(),
  delivered: !!a.deliveredAt,
  attempts: a.attempts,
  lastError: a.lastError,
  acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
  acknowledgedBy: a.acknowledgedBy,
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
  resolvedBy: a.resolvedBy,
  note: a.note,
});

export async function listAlerts(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const q = parseInput(listAlertsSchema, raw);
  const rows = await ctx.app.prisma.alert.findMany({
    where: {
      workspaceId: ctx.actor.workspaceId,
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.kind ? { kind: q.kind } : {}),
      ...(q.unacknowledged ? { acknowledgedAt: null } : {}),
      ...after('createdAt', q.cursor),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.createdAt);
  return { items: page.map(view), nextCursor };
}

export async function acknowledgeAlert(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const { alertId, note } = parseInput(acknowledgeAlertNoteSchema, raw);
  const a = await ctx.app.prisma.alert.findFirst({ where: { id: alertId, workspaceId: ctx.actor.workspaceId } });
  if (!a) throw new AppError('NOT_FOUND', `no alert ${alertId} in "${ctx.actor.workspace}"`);
  if (a.acknowledgedAt) return view(a);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const u = await tx.alert.update({
      where: { id: a.id },
      data: { acknowledgedAt: new Date(), acknowledgedBy: ctx.actor.userId, ...(note ? { note } : {}) },
    });
    await auditAs(ctx, tx, { action: 'alert.acknowledged', entityType: 'alert', entityId: a.id, ...(note ? { after: { note } } : {}) });
    return view(u);
  });
}

/** Resolves an alert with a note on how (acknowledging it too when nobody had); resolving twice is a conflict. */
export async function resolveAlert(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const { alertId, note } = parseInput(resolveAlertSchema, raw);
  const a = await ctx.app.prisma.alert.findFirst({ where: { id: alertId, workspaceId: ctx.actor.workspaceId } });
  if (!a) throw new AppError('NOT_FOUND', `no alert ${alertId} in "${ctx.actor.workspace}"`);
  if (a.resolvedAt) throw new AppError('CONFLICT', `alert ${alertId} was already resolved by ${a.resolvedBy}`);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const now = new Date();
    const u = await tx.alert.update({
      where: { id: a.id },
      data: {
        resolvedAt: now,
        resolvedBy: ctx.actor.userId,
        note,
        ...(a.acknowledgedAt ? {} : { acknowledgedAt: now, acknowledgedBy: ctx.actor.userId }),
      },
    });
    await auditAs(ctx, tx, { action: 'alert.resolved', entityType: 'alert', entityId: a.id, after: { note } });
    return view(u);
  });
}
