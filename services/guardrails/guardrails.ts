// Use cases for guardrail policies: the effective policy (defaults ⊕ workspace ⊕ account; anyone may read it) and
// setting fields of it (admins only; audited). Policy changes apply to new requests: pending ones keep the
// snapshot they were evaluated with.
import { AppError } from '../../core/errors.js';
import { DEFAULT_POLICY, LEARNING_PHASE_DAYS, type GuardrailPolicy } from '../../core/guardrails.js';
import { policyFor } from '../../db/guardrail-settings.js';
import { withTransaction } from '../../db/transaction.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { getGuardrailsSchema, setGuardrailsSchema } from './guardrails.schema.js';

export interface EffectivePolicy {
  scope: { workspace: string; account: { id: string; externalId: string; platform: string } | null };
  policy: GuardrailPolicy;
  /** Which fields come from the defaults, the workspace or the account. */
  origin: Record<string, 'default' | 'workspace' | 'account'>;
  /** What applies per platform where the policy leaves a setting at 0 (learningPhaseDays: each platform's own phase). */
  platformDefaults: { learningPhaseDays: Record<string, number> };
}

async function effective(ctx: ServiceContext, account?: string): Promise<EffectivePolicy> {
  const acc = account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, account) : null;
  const settings = await ctx.app.prisma.guardrailSetting.findMany({ where: { workspaceId: ctx.actor.workspaceId } });
  const ws = (settings.find((s) => s.accountId === null)?.policy ?? {}) as Record<string, unknown>;
  const own = (acc ? (settings.find((s) => s.accountId === acc.id)?.policy ?? {}) : {}) as Record<string, unknown>;
  const origin: EffectivePolicy['origin'] = {};
  for (const k of new Set([...Object.keys(DEFAULT_POLICY), ...Object.keys(ws), ...Object.keys(own)]))
    origin[k] = k in own ? 'account' : k in ws ? 'workspace' : 'default';
  return {
    scope: { workspace: ctx.actor.workspace, account: acc ? { id: acc.id, externalId: acc.external_id, platform: acc.platform } : null },
    policy: await policyFor(ctx.app.prisma, ctx.actor.workspaceId, acc?.id ?? null),
    origin,
    platformDefaults: { learningPhaseDays: { ...LEARNING_PHASE_DAYS } },
  };
}

export async function getGuardrails(ctx: ServiceContext, raw: unknown = {}): Promise<EffectivePolicy> {
  requireRole(ctx, 'viewer');
  return effective(ctx, parseInput(getGuardrailsSchema, raw).account);
}

export async function setGuardrails(ctx: ServiceContext, raw: unknown): Promise<EffectivePolicy> {
  requireRole(ctx, 'admin');
  const input = parseInput(setGuardrailsSchema, raw);
  const acc = input.account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, input.account) : null;
  const existing = await ctx.app.prisma.guardrailSetting.findFirst({ where: { workspaceId: ctx.actor.workspaceId, accountId: acc?.id ?? null } });
  const before = (existing?.policy ?? {}) as Record<string, unknown>;
  const policy = { ...before, ...input.changes };
  if (JSON.stringify(policy) === JSON.stringify(before)) throw new AppError('CONFLICT', 'the policy already has these settings; nothing changed');
  await withTransaction(ctx.app.prisma, async (tx) => {
    if (existing) await tx.guardrailSetting.update({ where: { id: existing.id }, data: { policy } });
    else await tx.guardrailSetting.create({ data: { workspaceId: ctx.actor.workspaceId, accountId: acc?.id ?? null, policy } });
    await auditAs(ctx, tx, {
      action: 'guardrails.updated',
      entityType: acc ? 'platform_account' : 'workspace',
      entityId: acc?.id ?? ctx.actor.workspaceId,
      before,
      after: policy,
    });
  });
  return effective(ctx, input.account);
}
