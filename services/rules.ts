// Use cases for rules: add (validated by the one condition/action parser), list, and test (a dry run that
// shows what would fire and why, changing nothing).
import { AppError } from '../core/errors.js';
import { parseAction, parseCondition, type RuleDefinition } from '../core/rules.js';
import type { AppContext } from './context.js';
import { evaluateWorkspaceRules } from './evaluate-rules.js';

export interface AddRuleInput {
  workspace?: string;
  name: string;
  when: string;
  then: string;
  platforms?: string[];
  accounts?: string[];
  namePattern?: string;
  cooldownHours?: number;
  requiresApproval?: boolean;
  schedule?: { weekdays?: number[]; hours?: number[] };
  createdBy: string;
}

export async function addRule(ctx: AppContext, input: AddRuleInput) {
  const slug = input.workspace ?? ctx.config.workspace;
  const ws = await ctx.prisma.workspace.findUnique({ where: { slug } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${slug}"`);
  if (!input.name?.trim()) throw new AppError('VALIDATION', 'a rule needs a name');
  const cooldownHours = input.cooldownHours ?? 24;
  if (!(cooldownHours >= 0 && cooldownHours <= 24 * 90)) throw new AppError('VALIDATION', 'cooldown must be 0 to 2160 hours');
  const platforms = input.platforms?.filter(Boolean);
  for (const p of platforms ?? []) if (!['google_ads', 'meta', 'tiktok', 'linkedin'].includes(p)) throw new AppError('VALIDATION', `unknown platform "${p}"`);
  for (const d of input.schedule?.weekdays ?? [])
    if (!Number.isInteger(d) || d < 0 || d > 6) throw new AppError('VALIDATION', `schedule days are 0 (Sunday) to 6, got ${d}`);
  for (const h of input.schedule?.hours ?? [])
    if (!Number.isInteger(h) || h < 0 || h > 23) throw new AppError('VALIDATION', `schedule hours are 0 to 23, got ${h}`);
  const definition: RuleDefinition = {
    scope: { platforms, accountIds: input.accounts, namePattern: input.namePattern },
    condition: parseCondition(input.when),
    action: parseAction(input.then),
    cooldownHours,
    requiresApproval: input.requiresApproval ?? true,
    schedule: input.schedule,
  };
  if (await ctx.prisma.rule.findUnique({ where: { workspaceId_name: { workspaceId: ws.id, name: input.name } } }))
    throw new AppError('CONFLICT', `a rule named "${input.name}" already exists`);
  return ctx.prisma.rule.create({
    data: {
      workspaceId: ws.id,
      name: input.name,
      condition: input.when,
      action: input.then,
      definition: JSON.parse(JSON.stringify(definition)),
      createdBy: input.createdBy,
    },
  });
}

export async function listRules(ctx: AppContext, workspace = ctx.config.workspace) {
  return ctx.prisma.rule.findMany({
    where: { workspace: { slug: workspace } },
    orderBy: { name: 'asc' },
    include: { firings: { orderBy: { firedAt: 'desc' }, take: 1 } },
  });
}

export async function testRules(ctx: AppContext, input: { workspace?: string; rule?: string }) {
  return evaluateWorkspaceRules(ctx, {
    workspace: input.workspace ?? ctx.config.workspace,
    dryRun: true,
    workflowId: 'dry-run',
    now: new Date().toISOString(),
    rule: input.rule,
  });
}
