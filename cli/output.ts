// How the CLI talks: human tables by default, one JSON document with --json, and AppError codes mapped once
// to exit codes and clear messages (never a stack trace for an expected failure). Everything shown to a human
// goes through safeText (core/text.ts): a reason, a rule name or a platform's message cannot carry terminal
// control codes to an approver's screen.
import cliProgress from 'cli-progress';
import Table from 'cli-table3';
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

const NO_BORDERS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/** A borderless table (cli-table3): a header, a rule under it, the rows; '—' for a missing value. */
export function table(headers: string[], rows: Cell[][], align: ('l' | 'r')[] = []): string {
  const cells = rows.map((r) => headers.map((_h, i) => (r[i] === null || r[i] === undefined ? '—' : safeText(r[i]!))));
  const t = new Table({
    head: headers,
    chars: NO_BORDERS,
    colAligns: headers.map((_h, i) => (align[i] === 'r' ? 'right' : 'left')),
    style: { head: process.stdout.isTTY ? ['bold'] : [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  t.push(
    widths.map((w) => '─'.repeat(w)),
    ...cells,
  );
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
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

/** A progress bar on stderr (cli-progress) while long work runs — only on a terminal and never with --json. */
export function progress(label: string, json?: boolean): { update(done: number, total: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `[{bar}] {value}/{total} ${label}`, hideCursor: true, clearOnComplete: true, barsize: 24 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, done);
      else bar.setTotal(total);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** "2026-06-01T10:20:30.000Z" → "2026-06-01 10:20Z". */
export const when = (iso: string | null | undefined): string | null => (iso ? `${iso.slice(0, 16).replace('T', ' ')}Z` : null);
