// Use case: move the sandbox's simulated clock (analysts and above) — the next N days are simulated from the
// budgets and statuses in force, on the workspace's own sandbox accounts only.
import { SandboxPlatform } from '../../connectors/sandbox/platform.js';
import { AppError } from '../../core/errors.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { advanceSandboxSchema } from './sandbox.schema.js';

export async function advanceSandbox(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const input = parseInput(advanceSandboxSchema, raw);
  const accounts = await ctx.app.prisma.platformAccount.findMany({ where: { workspaceId: ctx.actor.workspaceId, connector: 'sandbox' } });
  if (!accounts.length) throw new AppError('NOT_FOUND', `"${ctx.actor.workspace}" has no sandbox account`);
  const only = input.account ? await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, input.account) : undefined;
  const targets = only ? accounts.filter((a) => a.id === only.id) : accounts;
  if (!targets.length) throw new AppError('VALIDATION', `account "${input.account}" is not a sandbox account`);
  const sandbox = new SandboxPlatform(ctx.app.pool);
  const out: { accountId: string; today: string }[] = [];
  for (const a of targets) out.push(...(await sandbox.advance(input.days, a.externalId)));
  return out;
}
