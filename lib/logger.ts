// The one logger (pino). JSON lines to stderr, so stdout stays clean for CLI output and MCP stdio.
// Secrets are redacted by path wherever they might appear.
import { pino, type Logger } from 'pino';

const redact = {
  paths: ['*.password', '*.apiKey', '*.token', '*.accessToken', '*.refreshToken', '*.credentials', 'databaseUrl', '*.databaseUrl'],
  censor: '[redacted]',
};

let root: Logger | undefined;

export function logger(): Logger {
  root ??= pino({ level: process.env.LOG_LEVEL ?? 'info', redact, base: { pid: process.pid } }, pino.destination(2));
  return root;
}

export function childLogger(bindings: Record<string, unknown>): Logger {
  return logger().child(bindings);
}

/** postgres://user:secret@host/db → postgres://user:***@host/db, for messages a human reads. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
