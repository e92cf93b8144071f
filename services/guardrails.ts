// Use cases for guardrail policies: the effective policy of a workspace or account (defaults ⊕ workspace ⊕
// account), and setting fields of it, validated by the one schema in core/guardrails.ts.
import { AppError } from '../core/errors.js';
import { DEFAULT_POLICY, parseGuardrailPolicy, type GuardrailPolicy } from '../core/guardrails.js';
import { recordAudit } from '../db/audit.js';
import type { AppContext } from './context.js';
import { policyFor } from './request-budget-change.js';

async function scope(ctx: AppContext, workspace: string, account?: string) {
  const ws = await ctx.prisma.workspace.findUnique({ where: { slug: workspace } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${workspace}"`);
  if (!account) return { ws, accountId: null as string | null };
  const { rows } = await ctx.pool.query<{ id: string }>(
    'select id::text from platform_account where workspace_id = $1 and (id::text = $2 or external_id = $2)',
    [ws.id, account],
  );
  if (!rows[0]) throw new AppError('NOT_FOUND', `no account "${account}" in workspace "${workspace}"`);
  return { ws, accountId: rows[0].id };
}

export async function getGuardrails(ctx: AppContext, input: { workspace?: string; account?: string }): Promise<GuardrailPolicy> {
  const { ws, accountId } = await scope(ctx, input.workspace ?? ctx.config.workspace, input.account);
  if (!accountId) {
    const s = await ctx.prisma.guardrailSetting.findFirst({ where: { workspaceId: ws.id, accountId: null } });
    return { ...DEFAULT_POLICY, ...(s?.policy as Partial<GuardrailPolicy> | undefined) };
  }
  return policyFor(ctx, ws.id, accountId);
}

export async function setGuardrails(
  ctx: AppContext,
  input: { workspace?: string; account?: string; changes: unknown; actor: string },
): Promise<GuardrailPolicy> {
  const changes = parseGuardrailPolicy(input.changes);
  const { ws, accountId } = await scope(ctx, input.workspace ?? ctx.config.workspace, input.account);
  const existing = await ctx.prisma.guardrailSetting.findFirst({ where: { workspaceId: ws.id, accountId } });
  const policy = { ...(existing?.policy as object | undefined), ...changes };
  await ctx.prisma.$transaction(async (tx) => {
    if (existing) await tx.guardrailSetting.update({ where: { id: existing.id }, data: { policy } });
    else await tx.guardrailSetting.create({ data: { workspaceId: ws.id, accountId, policy } });
    await recordAudit(tx, {
      workspaceId: ws.id,
      actor: input.actor,
      action: 'guardrails.updated',
      entityType: accountId ? 'platform_account' : 'workspace',
      entityId: accountId ?? ws.id,
      before: existing?.policy ?? null,
      after: policy,
    });
  });
  return getGuardrails(ctx, { workspace: ws.slug, account: input.account });
}
