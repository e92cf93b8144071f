// Use cases for API keys (admins): create (the key is returned once, never again), list, revoke. Audited.
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { createApiKeySchema, revokeApiKeySchema, type ApiKeyView } from './api-keys.schema.js';
import { newApiKey } from './tokens.js';

type Row = {
  id: string;
  prefix: string;
  name: string;
  userId: string;
  createdBy: string;
  createdAt: Date;
  expiresAt: Date | null;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};
const iso = (d: Date | null) => (d ? d.toISOString() : null);
export const viewApiKey = (k: Row): ApiKeyView => ({
  id: k.id,
  prefix: k.prefix,
  name: k.name,
  userId: k.userId,
  createdBy: k.createdBy,
  createdAt: k.createdAt.toISOString(),
  expiresAt: iso(k.expiresAt),
  revokedAt: iso(k.revokedAt),
  lastUsedAt: iso(k.lastUsedAt),
});

export async function createApiKey(ctx: ServiceContext, raw: unknown): Promise<ApiKeyView & { key: string }> {
  requireRole(ctx, 'admin');
  const input = parseInput(createApiKeySchema, raw);
  const userId = input.userId ?? ctx.actor.userId;
  const member = await ctx.app.prisma.member.findUnique({ where: { workspaceId_userId: { workspaceId: ctx.actor.workspaceId, userId } } });
  if (!member) throw new AppError('NOT_FOUND', `${userId} is not a member of "${ctx.actor.workspace}"`);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const { key, prefix, secretHash } = newApiKey();
    const row = await tx.apiKey.create({
      data: {
        workspaceId: ctx.actor.workspaceId,
        userId,
        name: input.name,
        prefix,
        secretHash,
        createdBy: ctx.actor.userId,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      },
    });
    await auditAs(ctx, tx, {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row.id,
      after: { prefix, name: input.name, userId, expiresAt: row.expiresAt },
    });
    return { ...viewApiKey(row), key };
  });
}

export async function listApiKeys(ctx: ServiceContext): Promise<ApiKeyView[]> {
  requireRole(ctx, 'admin');
  const rows = await ctx.app.prisma.apiKey.findMany({ where: { workspaceId: ctx.actor.workspaceId }, orderBy: { createdAt: 'desc' } });
  return rows.map(viewApiKey);
}

export async function revokeApiKey(ctx: ServiceContext, raw: unknown): Promise<ApiKeyView> {
  requireRole(ctx, 'admin');
  const { prefix } = parseInput(revokeApiKeySchema, raw);
  const row = await ctx.app.prisma.apiKey.findFirst({ where: { prefix, workspaceId: ctx.actor.workspaceId } });
  if (!row) throw new AppError('NOT_FOUND', `no API key ${prefix} in "${ctx.actor.workspace}"`);
  if (row.revokedAt) return viewApiKey(row);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const updated = await tx.apiKey.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    await auditAs(ctx, tx, { action: 'api_key.revoked', entityType: 'api_key', entityId: row.id, before: { prefix }, after: { revokedAt: updated.revokedAt } });
    return viewApiKey(updated);
  });
}
