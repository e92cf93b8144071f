// Moves the sandbox's simulated clock: generates the next N days from the budgets and statuses in force.
import { SandboxPlatform } from '../connectors/sandbox/platform.js';
import { AppError } from '../core/errors.js';
import type { AppContext } from './context.js';

export async function advanceSandbox(ctx: AppContext, input: { days: number; accountId?: string }) {
  if (!Number.isInteger(input.days) || input.days < 1 || input.days > 365) {
    throw new AppError('VALIDATION', `--days must be a whole number from 1 to 365, got ${input.days}`);
  }
  return new SandboxPlatform(ctx.pool).advance(input.days, input.accountId);
}
