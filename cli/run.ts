// Runs one CLI action as the actor of the CLI's API key: input checked with the use case's own schema first (so
// the CLI and the API say the same thing), then the key found and resolved into a ServiceContext, the action
// run, and connections closed only after everything it awaited has settled. Errors map to exit codes once.
import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { loadConfig } from '../lib/config.js';
import type { ServiceContext } from '../services/actor.js';
import { authenticateApiKey } from '../services/auth/authenticate.js';
import { createContext, type AppContext } from '../services/context.js';
import { findApiKey, type FoundKey } from './credential.js';
import { fail } from './output.js';

/** Options every command accepts (set by main.ts before the action runs). */
export interface GlobalOptions {
  keyFile?: string;
}
const globals: GlobalOptions = {};
export function setGlobalOptions(g: GlobalOptions): void {
  globals.keyFile = g.keyFile;
}

export interface CliContext extends ServiceContext {
  key: Pick<FoundKey, 'from'>;
}

export async function withContext(opts: { json?: boolean }, fn: (ctx: CliContext) => Promise<unknown>): Promise<void> {
  let app: AppContext | undefined;
  try {
    const config = loadConfig();
    const key = findApiKey(config, globals.keyFile); // before connecting: no key is exit 5 whether the stack runs or not
    app = await createContext(config);
    const actor = await authenticateApiKey(app, key.key, 'cli');
    await fn({ app, actor, key: { from: key.from } });
  } catch (e) {
    await app?.close();
    fail(explain(e), !!opts.json);
  }
  await app!.close();
}

/** Commands that need no stack (offline work): the same error mapping. */
export async function offline(opts: { json?: boolean }, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    fail(e, !!opts.json);
  }
}

/** A refused connection to the database means the stack is down: say so instead of printing ECONNREFUSED. */
function explain(e: unknown): unknown {
  const msg = (e as Error)?.message ?? '';
  const code = (e as { code?: string })?.code;
  if (/ECONNREFUSED|Can't reach database|database server|connect ETIMEDOUT/.test(msg) || code === 'ECONNREFUSED')
    return new AppError('STACK_NOT_RUNNING', 'the database is not reachable: start the stack with `npm run up` (or check DATABASE_URL)');
  if (/TransportError|14 UNAVAILABLE|Failed to connect before the deadline/.test(msg))
    return new AppError('STACK_NOT_RUNNING', 'Temporal is not reachable: start the stack with `npm run up` (or check TEMPORAL_ADDRESS)');
  if (/does not exist in the current database/.test(msg))
    return new AppError('STACK_NOT_RUNNING', 'the database has no MBO tables yet: run `npm run up` (it migrates), or check DATABASE_URL');
  // A database client's message quotes our source around the failing call: keep only what went wrong.
  if (/^\s*Invalid `.*` invocation/.test(msg)) return new AppError('INTERNAL', msg.trim().split('\n').at(-1)!.trim());
  return e;
}

/**
 * Checks a command's input with the use case's schema before anything connects, and names the CLI's own option
 * or argument (from `names`, keyed by the schema path without list indexes) when a field is refused: exit 2.
 */
export function validate<S extends z.ZodType>(schema: S, input: unknown, names: Record<string, string>, json?: boolean): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => {
    const key = i.path.filter((p) => typeof p !== 'number').join('.');
    return { path: i.path.join('.') || '(input)', name: names[key] ?? names[key.split('.').at(-1) ?? ''] ?? (key || '(input)'), message: plain(i.message) };
  });
  return fail(new AppError('INVALID_INPUT', fields.map((f) => `${f.name}: ${f.message}`).join('; '), { fields }), !!json);
}

/** Zod's type messages in the words of a command line (an option is always text there). */
const plain = (m: string) =>
  m
    .replace(/^Invalid input: expected number, received NaN$/, 'not a number')
    .replace(/^Invalid input: expected boolean, received string$/, 'must be on or off');

/** "3" → 3, "" / "abc" → NaN (the schema then says what a number should be); undefined stays undefined. */
export const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : v.trim() === '' ? NaN : Number(v));

/** "1,2,3" → [1, 2, 3]. */
export const numList = (v: string | undefined): number[] | undefined => (v === undefined ? undefined : v.split(',').map((x) => num(x.trim())!));
