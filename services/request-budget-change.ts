// Use case: ask for budget changes (or pauses/resumes). Validates the campaigns and amounts, snapshots the
// budgets the requester sees and the guardrail policy in force, stores the request with its items and starts
// its BudgetChangeWorkflow (workflow id = request id). API, CLI, MCP, rules and the optimizer all come here.
import { WorkflowIdReusePolicy } from '@temporalio/client';
import { AppError } from '../core/errors.js';
import { DEFAULT_POLICY, type ChangeKind, type GuardrailPolicy } from '../core/guardrails.js';
import { parseMoney, toDecimalString } from '../core/money.js';
import { recordAudit } from '../db/audit.js';
import { workflowUrl } from '../temporal/connection.js';
import { BudgetChangeWorkflow, changeSearchAttributes } from '../workflows/budget-change.js';
import type { AppContext } from './context.js';

export interface RequestBudgetChangeInput {
  workspace?: string;
  requestedBy: string;
  source: 'user' | 'api' | 'cli' | 'mcp' | 'ai' | 'rule' | 'optimizer';
  reason: string;
  emergency?: boolean;
  /** Always ask a human, whatever the auto-approve policy says (e.g. a rule that requires approval). */
  forceApproval?: boolean;
  /** Campaign by MBO id or platform id; toBudget as a decimal string for kind = budget. */
  items: { campaign: string; kind: ChangeKind; toBudget?: string }[];
}

export async function policyFor(ctx: Pick<AppContext, 'prisma'>, workspaceId: string, accountId: string): Promise<GuardrailPolicy> {
  const settings = await ctx.prisma.guardrailSetting.findMany({ where: { workspaceId, OR: [{ accountId: null }, { accountId }] } });
  const ws = settings.find((s) => s.accountId === null)?.policy as Partial<GuardrailPolicy> | undefined;
  const acc = settings.find((s) => s.accountId === accountId)?.policy as Partial<GuardrailPolicy> | undefined;
  return { ...DEFAULT_POLICY, ...ws, ...acc };
}

/** Validates and stores a change request (no workflow yet): used by requestBudgetChange and by activities. */
export async function createChangeRequest(ctx: Pick<AppContext, 'prisma' | 'pool'> & { config: { workspace: string } }, input: RequestBudgetChangeInput) {
  const slug = input.workspace ?? ctx.config.workspace;
  const ws = await ctx.prisma.workspace.findUnique({ where: { slug } });
  if (!ws) throw new AppError('NOT_FOUND', `no workspace "${slug}"`);
  if (!input.requestedBy?.trim()) throw new AppError('VALIDATION', 'a change request needs a requester');
  if (!input.reason?.trim()) throw new AppError('VALIDATION', 'a change request needs a reason');
  if (!input.items.length) throw new AppError('VALIDATION', 'a change request needs at least one item');
  const refs = input.items.map((i) => i.campaign);
  const { rows } = await ctx.pool.query<{ id: string; external_id: string; account_id: string; daily_budget: string | null; status: string; name: string }>(
    `select c.id::text, c.external_id, c.account_id::text, c.daily_budget::text, c.status::text, c.name from campaign c
       join platform_account a on a.id = c.account_id where a.workspace_id = $1 and (c.id::text = any($2) or c.external_id = any($2))`,
    [ws.id, refs],
  );
  const items = input.items.map((i, seq) => {
    const c = rows.find((r) => r.id === i.campaign || r.external_id === i.campaign);
    if (!c) throw new AppError('NOT_FOUND', `no campaign "${i.campaign}" in workspace "${slug}"`);
    if (c.daily_budget === null) throw new AppError('VALIDATION', `campaign ${c.external_id} has no daily budget of its own to change`);
    let to: string | undefined;
    if (i.kind === 'budget') {
      if (!i.toBudget) throw new AppError('VALIDATION', `item ${seq + 1}: a budget change needs an amount`);
      let micros: bigint;
      try {
        micros = parseMoney(i.toBudget);
      } catch {
        throw new AppError('VALIDATION', `item ${seq + 1}: "${i.toBudget}" is not an amount (use e.g. 250 or 250.50)`);
      }
      if (micros <= 0n) throw new AppError('VALIDATION', `item ${seq + 1}: a daily budget must be positive`);
      if (micros === parseMoney(c.daily_budget)) throw new AppError('VALIDATION', `campaign ${c.external_id} already has a daily budget of ${i.toBudget}`);
      to = toDecimalString(micros);
    }
    return { seq, campaignId: c.id, accountId: c.account_id, kind: i.kind, fromBudget: c.daily_budget, toBudget: to };
  });
  const accounts = [...new Set(items.map((i) => i.accountId))];
  if (accounts.length !== 1) throw new AppError('VALIDATION', 'one change request covers one ad account; split the campaigns by account');
  const account = await ctx.prisma.platformAccount.findUniqueOrThrow({ where: { id: accounts[0]! } });
  const policy = await policyFor(ctx, ws.id, account.id);
  if (input.forceApproval) policy.autoApprove = { emergencyPause: false };

  const request = await ctx.prisma.$transaction(async (tx) => {
    const r = await tx.changeRequest.create({
      data: {
        workspaceId: ws.id,
        accountId: account.id,
        source: input.source,
        requestedBy: input.requestedBy,
        reason: input.reason,
        emergency: !!input.emergency,
        status: 'EVALUATING',
        policy: JSON.parse(JSON.stringify(policy)),
        items: { create: items.map((i) => ({ seq: i.seq, campaignId: i.campaignId, kind: i.kind, fromBudget: i.fromBudget, toBudget: i.toBudget ?? null })) },
      },
    });
    await recordAudit(tx, {
      workspaceId: ws.id,
      actor: input.requestedBy,
      action: 'change_request.created',
      entityType: 'change_request',
      entityId: r.id,
      after: { items, reason: input.reason, source: input.source },
      workflowId: r.id,
    });
    return r;
  });
  return { requestId: request.id, workspace: slug, accountId: account.id, platform: account.platform, requestedBy: input.requestedBy };
}

export async function requestBudgetChange(ctx: AppContext, input: RequestBudgetChangeInput) {
  const created = await createChangeRequest(ctx, input);
  const client = await ctx.temporal();
  await client.workflow.start(BudgetChangeWorkflow, {
    workflowId: created.requestId,
    taskQueue: ctx.config.temporal.taskQueue,
    args: [{ requestId: created.requestId, requestedBy: input.requestedBy }],
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    typedSearchAttributes: changeSearchAttributes(created),
  });
  return { requestId: created.requestId, url: workflowUrl(ctx.config.temporal, created.requestId) };
}
