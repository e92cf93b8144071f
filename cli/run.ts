// Runs one CLI action with an AppContext, mapping errors to exit codes and always closing connections.
import { loadConfig } from '../lib/config.js';
import { createContext, type AppContext } from '../services/context.js';
import { fail } from './output.js';

export async function withContext(opts: { json?: boolean }, fn: (ctx: AppContext) => Promise<unknown>): Promise<void> {
  let ctx: AppContext | undefined;
  try {
    ctx = await createContext(loadConfig());
    await fn(ctx);
  } catch (e) {
    await ctx?.close();
    fail(await explain(e), !!opts.json);
  }
  await ctx.close();
}

/** A refused connection to the database means the stack is down: say so instead of printing ECONNREFUSED. */
async function explain(e: unknown): Promise<unknown> {
  const { AppError } = await import('../core/errors.js');
  const msg = (e as Error)?.message ?? '';
  if (/ECONNREFUSED|connect ECONNREFUSED|Can't reach database|database server/.test(msg) || (e as { code?: string })?.code === 'ECONNREFUSED') {
    return new AppError('STACK_NOT_RUNNING', 'the database is not reachable: start the stack with `npm run up` (or check DATABASE_URL)');
  }
  return e;
}
