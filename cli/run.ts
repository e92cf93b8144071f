// Runs one CLI action over the HTTP API as the member of the CLI's API key: input checked with the use case's own
// schema first (so the CLI and the API say the same thing, and a bad option never reaches the network), then the
// key found and an API client made for MBO_API_URL (default: the local API). The CLI holds no database or
// Temporal connection (only `up`/`down` do). Errors map to exit codes once (cli/output.ts).
import type { z } from 'zod';
import { AppError } from '../core/errors.js';
import { loadConfig, type Config } from '../lib/config.js';
import { ApiClient } from './api-client.js';
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

export interface CliContext {
  api: ApiClient;
  key: Pick<FoundKey, 'from'> & { prefix: string };
  config: Config;
}

/** The config, or exit 2 with what is wrong in the environment. */
export function cliConfig(json?: boolean): Config {
  try {
    return loadConfig();
  } catch (e) {
    return fail(e, !!json);
  }
}

export async function withApi(opts: { json?: boolean }, fn: (ctx: CliContext) => Promise<unknown>): Promise<void> {
  try {
    const config = loadConfig();
    const key = findApiKey(config, globals.keyFile); // no key is exit 5 whether the stack runs or not
    await fn({ api: new ApiClient(config.api.url, key.key), key: { from: key.from, prefix: key.key.slice(0, 12) }, config });
  } catch (e) {
    fail(e, !!opts.json);
  }
}

/** Commands that need no stack (offline work): the same error mapping. */
export async function offline(opts: { json?: boolean }, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (e) {
    fail(e, !!opts.json);
  }
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
