// The one way to write the audit trail: who did what, when, to what, before/after, from which workflow.
import type { Prisma } from './generated/client.js';
import type { PrismaClient } from './prisma.js';

export interface AuditInput {
  workspaceId: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  workflowId?: string;
  details?: unknown;
}

type Tx = Pick<PrismaClient, 'auditEvent'>;

export async function recordAudit(db: Tx, a: AuditInput): Promise<void> {
  const json = (v: unknown) =>
    v === undefined ? undefined : (JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))) as Prisma.InputJsonValue);
  await db.auditEvent.create({
    data: {
      workspaceId: a.workspaceId,
      actor: a.actor,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      before: json(a.before),
      after: json(a.after),
      workflowId: a.workflowId,
      details: json(a.details),
    },
  });
}
