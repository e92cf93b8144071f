// Use cases for approval notices: list what was sent (any member; workspace-scoped), and send a request's notice
// again now (analysts and above — e.g. after an approver set up their channel; the whatsapp-business MCP tool).
import { AppError } from '../../core/errors.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { listApprovalNoticesSchema, sendApprovalNoticeSchema, type ApprovalNoticeView } from './notifications.schema.js';
import { startApprovalNotice, type ApprovalNoticeResult } from './start-approval-notice.js';

export async function listApprovalNotices(ctx: ServiceContext, raw: unknown = {}): Promise<{ items: ApprovalNoticeView[]; nextCursor: string | null }> {
  requireRole(ctx, 'viewer');
  const q = parseInput(listApprovalNoticesSchema, raw);
  const rows = await ctx.app.prisma.approvalNotice.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...(q.requestId ? { requestId: q.requestId } : {}), ...after('createdAt', q.cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.createdAt);
  return {
    items: page.map((r) => ({
      id: r.id,
      requestId: r.requestId,
      userId: r.userId,
      channel: r.channel,
      kind: r.kind as ApprovalNoticeView['kind'],
      status: r.status as ApprovalNoticeView['status'],
      error: r.error,
      createdAt: r.createdAt.toISOString(),
    })),
    nextCursor,
  };
}

export async function sendApprovalNotice(ctx: ServiceContext, raw: unknown): Promise<ApprovalNoticeResult & { requestId: string }> {
  requireRole(ctx, 'analyst');
  const { requestId } = parseInput(sendApprovalNoticeSchema, raw);
  const r = await ctx.app.prisma.changeRequest.findFirst({ where: { id: requestId, workspaceId: ctx.actor.workspaceId } });
  if (!r) throw new AppError('NOT_FOUND', `no change request ${requestId} in "${ctx.actor.workspace}"`);
  if (r.status !== 'PENDING_APPROVAL')
    throw new AppError('CONFLICT', `change request ${r.id} is ${r.status.toLowerCase().replace(/_/g, ' ')}, not waiting for a decision`);
  const first = await ctx.app.prisma.approvalNotice.count({ where: { requestId, kind: 'request', status: 'sent' } });
  const handle = await startApprovalNotice(ctx.app, requestId, first ? 'reminder' : 'request');
  const result = await Promise.race([
    handle.result(),
    new Promise<never>((_, no) =>
      setTimeout(() => no(new AppError('TRANSIENT', 'the notice is on its way but not confirmed yet; list notices to see it')), 30_000).unref(),
    ),
  ]);
  return { requestId, ...result };
}
