// How the CLI talks: human tables by default, one JSON document with --json, and AppError codes mapped once
// to exit codes and clear messages (never a stack trace for an expected failure).
import { AppError, isAppError, type AppErrorCode } from '../core/errors.js';

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

export function table(headers: string[], rows: Array<Array<string | number | null | undefined>>, align: ('l' | 'r')[] = []): string {
  const cells = rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(fmt)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n');
}

export function fail(e: unknown, json: boolean): never {
  const err = isAppError(e) ? e : new AppError('INTERNAL', (e as Error)?.message ?? String(e));
  if (json) process.stdout.write(JSON.stringify({ error: { code: err.code, message: err.message } }) + '\n');
  process.stderr.write(`mbo: ${err.message}\n`);
  if (err.code === 'INTERNAL' && process.env.MBO_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  process.exit(EXIT[err.code] ?? 1);
}

export function progressBar(done: number, total: number, label: string, width = 24): string {
  const filled = total ? Math.round((done / total) * width) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${label}`;
}
