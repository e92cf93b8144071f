// Use cases for automation rules: list (anyone), add, update, enable/disable, delete (analysts and above; every
// change audited), and test (a dry run: what would fire and why, changing nothing). A rule is validated in full
// when it is saved (core/rules.ts validateRuleDefinition), so a bad action never reaches the RulesWorkflow.
import { AppError } from '../../core/errors.js';
import { parseAction, parseCondition, validateRuleDefinition, type RuleDefinition } from '../../core/rules.js';
import { withTransaction } from '../../db/transaction.js';
import { accountInWorkspace, isUuid } from '../../db/workspaces.js';
import { planRules } from '../../db/rule-firings.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { addRuleSchema, ruleRefSchema, setRuleEnabledSchema, testRulesSchema, updateRuleSchema, type RuleView } from './rules.schema.js';
import type { z } from 'zod';

type RuleRow = Awaited<ReturnType<ServiceContext['app']['prisma']['rule']['findFirstOrThrow']>> & { firings?: { firedAt: Date }[] };
type Fields = z.output<typeof addRuleSchema>;

function view(r: RuleRow): RuleView {
  const d = r.definition as unknown as RuleDefinition;
  return {
    id: r.id,
    name: r.name,
    when: r.condition,
    then: r.action,
    scope: { platforms: d.scope.platforms, accounts: d.scope.accountIds, namePattern: d.scope.namePattern },
    cooldownHours: d.cooldownHours,
    requiresApproval: d.requiresApproval,
    schedule: d.schedule,
    enabled: r.enabled,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedBy: r.updatedBy,
    updatedAt: r.updatedAt?.toISOString() ?? null,
    lastFiredAt: r.firings?.[0]?.firedAt.toISOString() ?? null,
  };
}

async function definitionOf(ctx: ServiceContext, f: Fields): Promise<RuleDefinition> {
  // Accounts are stored by MBO id, after checking they are this workspace's.
  const accountIds = f.accounts?.length
    ? await Promise.all(f.accounts.map(async (a) => (await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, a)).id))
    : undefined;
  return validateRuleDefinition(
    {
      scope: { platforms: f.platforms, accountIds, namePattern: f.namePattern },
      condition: parseCondition(f.when),
      action: parseAction(f.then),
      cooldownHours: f.cooldownHours ?? 24,
      requiresApproval: f.requiresApproval ?? true,
      schedule: f.schedule,
    },
    f.name,
  );
}

async function findRule(ctx: ServiceContext, ref: string): Promise<RuleRow> {
  const r = await ctx.app.prisma.rule.findFirst({
    where: { workspaceId: ctx.actor.workspaceId, deletedAt: null, OR: [{ name: ref }, ...(isUuid(ref) ? [{ id: ref }] : [])] },
    include: { firings: { orderBy: { firedAt: 'desc' }, take: 1 } },
  });
  if (!r) throw new AppError('NOT_FOUND', `no rule "${ref}" in "${ctx.actor.workspace}"`);
  return r;
}

async function nameFree(ctx: ServiceContext, name: string, except?: string) {
  const other = await ctx.app.prisma.rule.findFirst({
    where: { workspaceId: ctx.actor.workspaceId, name, deletedAt: null, ...(except ? { id: { not: except } } : {}) },
  });
  if (other) throw new AppError('CONFLICT', `a rule named "${name}" already exists`);
}

export async function listRules(ctx: ServiceContext): Promise<RuleView[]> {
  requireRole(ctx, 'viewer');
  const rows = await ctx.app.prisma.rule.findMany({
    where: { workspaceId: ctx.actor.workspaceId, deletedAt: null },
    orderBy: { name: 'asc' },
    include: { firings: { orderBy: { firedAt: 'desc' }, take: 1 } },
  });
  return rows.map(view);
}

export async function getRule(ctx: ServiceContext, raw: unknown): Promise<RuleView> {
  requireRole(ctx, 'viewer');
  return view(await findRule(ctx, parseInput(ruleRefSchema, raw).rule));
}

export async function addRule(ctx: ServiceContext, raw: unknown): Promise<RuleView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(addRuleSchema, raw);
  const definition = await definitionOf(ctx, input);
  await nameFree(ctx, input.name);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const r = await tx.rule.create({
      data: {
        workspaceId: ctx.actor.workspaceId,
        name: input.name,
        condition: input.when,
        action: input.then,
        definition: JSON.parse(JSON.stringify(definition)),
        createdBy: ctx.actor.userId,
      },
    });
    await auditAs(ctx, tx, {
      action: 'rule.created',
      entityType: 'rule',
      entityId: r.id,
      after: { name: r.name, when: r.condition, then: r.action, definition },
    });
    return view(r);
  });
}

export async function updateRule(ctx: ServiceContext, raw: unknown): Promise<RuleView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(updateRuleSchema, raw);
  const r = await findRule(ctx, input.rule);
  const d = r.definition as unknown as RuleDefinition;
  const current: Fields = {
    name: r.name,
    when: r.condition,
    then: r.action,
    platforms: d.scope.platforms as Fields['platforms'],
    accounts: d.scope.accountIds,
    namePattern: d.scope.namePattern,
    cooldownHours: d.cooldownHours,
    requiresApproval: d.requiresApproval,
    schedule: d.schedule,
  };
  const next = { ...current, ...input.changes };
  const definition = await definitionOf(ctx, next);
  if (next.name !== r.name) await nameFree(ctx, next.name, r.id);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const u = await tx.rule.update({
      where: { id: r.id },
      data: {
        name: next.name,
        condition: next.when,
        action: next.then,
        definition: JSON.parse(JSON.stringify(definition)),
        updatedBy: ctx.actor.userId,
        updatedAt: new Date(),
      },
    });
    await auditAs(ctx, tx, { action: 'rule.updated', entityType: 'rule', entityId: r.id, before: current, after: next });
    return view({ ...u, firings: r.firings });
  });
}

export async function setRuleEnabled(ctx: ServiceContext, raw: unknown): Promise<RuleView> {
  requireRole(ctx, 'analyst');
  const input = parseInput(setRuleEnabledSchema, raw);
  const r = await findRule(ctx, input.rule);
  if (r.enabled === input.enabled) return view(r);
  return withTransaction(ctx.app.prisma, async (tx) => {
    const u = await tx.rule.update({ where: { id: r.id }, data: { enabled: input.enabled, updatedBy: ctx.actor.userId, updatedAt: new Date() } });
    await auditAs(ctx, tx, {
      action: input.enabled ? 'rule.enabled' : 'rule.disabled',
      entityType: 'rule',
      entityId: r.id,
      before: { enabled: r.enabled },
      after: { enabled: input.enabled },
    });
    return view({ ...u, firings: r.firings });
  });
}

export async function deleteRule(ctx: ServiceContext, raw: unknown): Promise<void> {
  requireRole(ctx, 'analyst');
  const r = await findRule(ctx, parseInput(ruleRefSchema, raw).rule);
  await withTransaction(ctx.app.prisma, async (tx) => {
    // Kept for the record (its firings and requests point at it), disabled, and renamed so the name is free again.
    await tx.rule.update({
      where: { id: r.id },
      data: { enabled: false, deletedAt: new Date(), name: `${r.name} (deleted ${r.id.slice(0, 8)})`, updatedBy: ctx.actor.userId, updatedAt: new Date() },
    });
    await auditAs(ctx, tx, {
      action: 'rule.deleted',
      entityType: 'rule',
      entityId: r.id,
      before: { name: r.name, when: r.condition, then: r.action, enabled: r.enabled },
    });
  });
}

export async function testRules(ctx: ServiceContext, raw: unknown = {}) {
  requireRole(ctx, 'viewer');
  const input = parseInput(testRulesSchema, raw);
  const rule = input.rule ? await findRule(ctx, input.rule) : undefined;
  return planRules(ctx.app, { workspace: ctx.actor.workspace, now: new Date().toISOString(), rule: rule?.name });
}
