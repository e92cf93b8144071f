// How the CLI talks: human tables by default, one JSON document with --json, and AppError codes mapped once
// to exit codes and clear messages (never a stack trace for an expected failure). Everything shown to a human
// goes through safeText (core/text.ts): a reason, a rule name or a platform's message cannot carry terminal
// control codes to an approver's screen.
import { AppError, isAppError, type AppErrorCode } from '../core/errors.js';
import { safeText } from '../core/text.js';

export const EXIT: Record<AppErrorCode | 'OK' | 'PARTIAL', number> = {
  OK: 0,
  INTERNAL: 1,
  INVALID_INPUT: 2,
  VALIDATION: 2,
  PAYLOAD_TOO_LARGE: 2,
  UNSUPPORTED_MEDIA_TYPE: 2,
  CONFIG_INVALID: 2,
  NOT_FOUND: 3,
  STACK_NOT_RUNNING: 4,
  UNAUTHENTICATED: 5,
  FORBIDDEN: 6,
  RATE_LIMITED: 7,
  TRANSIENT: 7,
  CONFLICT: 8,
  PARTIAL: 9,
};

type Cell = string | number | boolean | null | undefined;

/** A line of text for a human: control characters stripped. */
export function say(...parts: Cell[]): void {
  process.stdout.write(parts.map((p) => safeText(p ?? '', { keepNewlines: true })).join(' ') + '\n');
}

export function table(headers: string[], rows: Cell[][], align: ('l' | 'r')[] = []): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : safeText(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

export function printTable(headers: string[], rows: Cell[][], align: ('l' | 'r')[] = []): void {
  process.stdout.write(table(headers, rows, align) + '\n');
}

// JSON.stringify escapes C0 controls but not DEL, C1 controls (8-bit CSI) or bidi overrides: escape those too, so
// the data is intact and a terminal showing it is safe.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printJson(value: unknown): void {
  const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  process.stdout.write(text + '\n');
}

/** Prints the error (as JSON on stdout too with --json) and exits with its code. */
export function fail(e: unknown, json: boolean): never {
  const err = isAppError(e) ? e : new AppError('INTERNAL', (e as Error)?.message ?? String(e));
  const message = safeText(err.message, { keepNewlines: true });
  if (json) printJson({ error: { code: err.code, message, ...(err.details?.fields ? { fields: err.details.fields } : {}) } });
  process.stderr.write(`mbo: ${message}\n`);
  process.exit(EXIT[err.code] ?? 1);
}

export function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${label}`;
}

/** "2026-06-01T10:20:30.000Z" → "2026-06-01 10:20Z". */
export const when = (iso: string | null | undefined): string | null => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : null);
