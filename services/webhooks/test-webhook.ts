// Sends one signed test message to a workspace webhook (admins; audited), so whoever set it up sees at once whether
// the receiver takes it: the same signed delivery as alerts and reports (db/webhooks.ts deliverSigned).
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors.js';
import { deliverSigned } from '../../db/webhooks.js';
import { loadKeyring, open } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { webhookIdSchema } from './webhooks.schema.js';

export async function testWebhook(ctx: ServiceContext, raw: unknown): Promise<{ delivered: boolean; status: number; error: string | null }> {
  requireRole(ctx, 'admin');
  const { webhookId } = parseInput(webhookIdSchema, raw);
  const w = await ctx.app.prisma.workspaceWebhook.findFirst({ where: { id: webhookId, workspaceId: ctx.actor.workspaceId } });
  if (!w) throw new AppError('NOT_FOUND', `no webhook ${webhookId} in "${ctx.actor.workspace}"`);
  const body = JSON.stringify({
    text: `MBO test message for "${ctx.actor.workspace}", sent by ${ctx.actor.userId}`,
    event: 'test',
    workspace: ctx.actor.workspace,
    sentAt: new Date().toISOString(),
  });
  const d = await deliverSigned([{ url: w.url, secret: open(loadKeyring(ctx.app.config), w.secretSealed) }], body, `test-${randomUUID()}`);
  const result = { delivered: d.delivered === 1, status: d.delivered === 1 ? 200 : d.status, error: d.error ?? null };
  await auditAs(ctx, ctx.app.prisma, { action: 'webhook.tested', entityType: 'webhook', entityId: w.id, after: result });
  return result;
}
