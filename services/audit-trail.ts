// The audit event a use case writes: the actor and the credential it came through are always recorded.
import { recordAudit, type AuditInput } from '../db/audit.js';
import type { Tx } from '../db/transaction.js';
import type { ServiceContext } from './actor.js';

export function auditAs(ctx: ServiceContext, db: Tx | ServiceContext['app']['prisma'], a: Omit<AuditInput, 'workspaceId' | 'actor'>) {
  const details = { ...(a.details as object | undefined), source: ctx.actor.source, credential: ctx.actor.credential };
  return recordAudit(db, { ...a, workspaceId: ctx.actor.workspaceId, actor: ctx.actor.userId, details });
}
