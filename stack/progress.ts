// How `mbo up` talks while it works: a finished step (`step`), and what is under way (`note`) — build output, and
// what it is waiting for with the elapsed time, so a slow first start on a busy machine never looks like a hang.
import path from 'node:path';

export interface Reporter {
  /** A step is done. */
  step: (message: string) => void;
  /** Something is under way (a build's messages, a wait with its elapsed time). */
  note: (message: string) => void;
}

export const NOTE_EVERY_MS = 10_000;

/** Runs `fn`, saying "waiting for <what>… N s" every 10 s until it settles. */
export async function whileWaiting<T>(note: Reporter['note'], what: string, fn: () => Promise<T>, everyMs = NOTE_EVERY_MS): Promise<T> {
  const started = Date.now();
  const timer = setInterval(() => note(`waiting for ${what}… ${Math.round((Date.now() - started) / 1000)} s`), everyMs);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

/** A path as a person would type it from here: relative when under the current folder. */
export function shown(p: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
}

/** `p` quoted for a POSIX shell when it needs it (a hint people paste). */
export function shellQuoted(p: string): string {
  return /^[\w./@%+=:,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
