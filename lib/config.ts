// The one config loader: reads the environment (and a git-ignored `.env` file beside it: the real environment wins),
// validates it with zod and says exactly what is wrong. Everything else receives a Config (or the part it needs);
// nothing else reads process.env or the .env file.
import { existsSync, readFileSync } from 'node:fs';
import dotenv from 'dotenv';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError } from '../core/errors.js';
import { syncQueueFor } from '../workers/task-queues.js';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const port = z.coerce.number().int().min(1).max(65535);
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

const schema = z.object({
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  MBO_DATABASE_OWNER_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  MBO_DATABASE_ADMIN_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  ),
  MBO_HOME: z.string().default(path.join(PROJECT_ROOT, '.mbo')),
  MBO_PG_PORT: port.default(54329),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[^:\s]+:\d+$/, 'must be host:port')
    .default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('mbo'),
  TEMPORAL_API_KEY: optionalText,
  TEMPORAL_TLS_CERT_PATH: optionalText,
  TEMPORAL_TLS_KEY_PATH: optionalText,
  TEMPORAL_UI_URL: optionalText,
  MBO_TEMPORAL_UI_PORT: port.default(8233),
  MBO_TEMPORAL_DEV: z.enum(['auto', 'true', 'false']).default('auto'),
  MBO_TEMPORAL_BIN: optionalText,
  MBO_TASK_QUEUE: z.string().min(1).default('mbo'),
  MBO_WORKSPACE: z.string().min(1).default('default'),
  MBO_SANDBOX_SEED: z.coerce.number().int().default(42),
  MBO_SANDBOX_HISTORY_DAYS: z.coerce.number().int().min(1).max(730).default(120),
  MBO_SYNC_BACKFILL_DAYS: z.coerce.number().int().min(1).max(1095).default(120),
  MBO_SYNC_LOOKBACK_DAYS: z.coerce.number().int().min(0).max(90).default(3),
  MBO_SYNC_PAGE_SIZE: z.coerce.number().int().min(1).max(100_000).default(500),
  MBO_SYNC_SCHEDULE: z
    .string()
    .regex(/^\d+[smhd]$/, 'must be an interval such as 1h or 30m')
    .default('1h'),
  MBO_ALERT_WEBHOOK_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  MBO_API_HOST: z.string().min(1).default('127.0.0.1'),
  MBO_API_PORT: port.default(3000),
  MBO_API_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  MBO_API_KEY: optionalText,
  MBO_PUBLIC_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  MBO_API_RATE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  MBO_METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  MBO_WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  MBO_WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  MBO_WEB_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  MBO_MCP_HOST: z.string().min(1).default('127.0.0.1'),
  MBO_MCP_PORT_BASE: z.coerce.number().int().min(0).max(65528).default(3000),
  MBO_MCP_ALLOWED_HOSTS: optionalText,
  MBO_MCP_ALLOWED_ORIGINS: optionalText,
  MBO_SECRET_KEY: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$|^[0-9a-fA-F]{64}$/, 'must be 32 bytes as base64 or hex')
      .optional(),
  ),
  MBO_SECRET_KEYS_PREVIOUS: optionalText,
  MBO_USER: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  MBO_OAUTH_CLIENT_SECRET: optionalText,
  MBO_GOOGLE_ADS_DEVELOPER_TOKEN: optionalText,
  ANTHROPIC_MODEL: z.string().trim().min(1).default('claude-sonnet-4-6'),
  ANTHROPIC_BASE_URL: optionalText.pipe(z.string().url('must be an http(s) URL').optional()),
  MBO_AI_MAX_TURNS: z.coerce.number().int().min(1).max(50).default(8),
  MBO_AI_MAX_TOKENS: z.coerce.number().int().min(256).max(64_000).default(4096),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  projectRoot: string;
  /** For `mbo accounts add` when no file is named: the platform app's client secret, Google's developer token. */
  oauth: { clientSecret?: string; googleAdsDeveloperToken?: string };
  home: string;
  database: {
    /** The application's database (DATABASE_URL): a plain role, or a superuser from which MBO derives its roles. */
    url?: string;
    /** The owner role that runs migrations when `url` is a plain application role (MBO_DATABASE_OWNER_URL). */
    ownerUrl?: string;
    /** A superuser that creates the roles of `url` and `ownerUrl` at `mbo up` (MBO_DATABASE_ADMIN_URL; compose). */
    adminUrl?: string;
    embeddedPort: number;
  };
  temporal: {
    address: string;
    namespace: string;
    apiKey?: string;
    tls?: { certPath: string; keyPath: string };
    /** Start our own `temporal server start-dev` (true for the local default address). */
    devServer: boolean;
    devUiPort: number;
    binary: string;
    uiUrl: string;
    taskQueue: string;
    /** Where syncs run (`<taskQueue>-sync`): their own worker slots, so a large sync cannot starve approvals. */
    syncTaskQueue: string;
  };
  workspace: string;
  sandbox: { seed: number; historyDays: number };
  sync: { backfillDays: number; lookbackDays: number; pageSize: number; scheduleEvery: string };
  alerts: { webhookUrl?: string };
  metrics: {
    /** Bearer token a Prometheus scrape of /metrics must send; unset: loopback clients only. */
    token?: string;
    /** Where each worker serves the Temporal SDK's and its own metrics (<workerHost>:<workerPort>/metrics); port 0 = off. */
    workerPort: number;
    workerHost: string;
  };
  api: {
    host: string;
    port: number;
    /** Where the CLI (and links in messages) reach the API. */
    url: string;
    /** The base of links people open (approval links in chat); defaults to the API's URL. */
    publicUrl: string;
    /** Requests per minute per API key (or per client address before authentication). */
    rateLimitPerMinute: number;
  };
  /** The web app's address, for approval links (MBO_WEB_URL; unset: the API's public URL). */
  webUrl?: string;
  /** The MCP servers' HTTP side: each listens on host:(portBase + its offset), e.g. google-ads-mcp on 3001. */
  mcp: { host: string; portBase: number; allowedHosts: string[]; allowedOrigins: string[] };
  /** The CLI's API key, when given in the environment (else the key file `mbo up` wrote in MBO_HOME). */
  apiKey?: string;
  /** AES-256-GCM key for secrets at rest (base64/hex); unset: the key file in MBO_HOME that `mbo up` creates. */
  secretKey?: string;
  /** Earlier keys still accepted for opening secrets (rotation), comma-separated. */
  previousSecretKeys: string[];
  /** The handle of the local admin that `mbo up` creates (default: the OS user). */
  localUser?: string;
  /** The AI engine (ai/): Claude through the Messages API; without a key it answers with the optimizer's own words. */
  ai: { apiKey?: string; model: string; baseUrl?: string; maxTurns: number; maxTokens: number };
  logLevel: RawConfig['LOG_LEVEL'];
}

function isLocal(address: string): boolean {
  const host = address.split(':')[0];
  return host === '127.0.0.1' || host === 'localhost' || host === '::1';
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

/** Every setting the loader reads (.env.example documents each one: lib/config.test.ts checks it). */
export const SETTING_NAMES = Object.keys(schema.shape);

/**
 * The process environment over the settings of a `.env` file (MBO_ENV_FILE, else `.env` in the project root): a
 * variable set in the environment always wins, so a deployment's settings are never overridden by a stray file.
 */
export function environment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const file = env.MBO_ENV_FILE?.trim() || path.join(PROJECT_ROOT, '.env');
  if (!existsSync(file)) {
    if (env.MBO_ENV_FILE?.trim()) throw new AppError('CONFIG_INVALID', `invalid configuration:\n  MBO_ENV_FILE: file not found: ${file}`);
    return env;
  }
  const fromFile = dotenv.parse(readFileSync(file));
  const merged: NodeJS.ProcessEnv = { ...fromFile };
  for (const [k, v] of Object.entries(env)) if (v !== undefined) merged[k] = v;
  return merged;
}

export function loadConfig(env: NodeJS.ProcessEnv = environment()): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (Boolean(c.TEMPORAL_TLS_CERT_PATH) !== Boolean(c.TEMPORAL_TLS_KEY_PATH)) {
    throw new AppError('CONFIG_INVALID', 'invalid configuration:\n  TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH must be given together');
  }
  for (const p of [c.TEMPORAL_TLS_CERT_PATH, c.TEMPORAL_TLS_KEY_PATH]) {
    if (p && !existsSync(p)) throw new AppError('CONFIG_INVALID', `invalid configuration:\n  file not found: ${p}`);
  }
  const devServer =
    c.MBO_TEMPORAL_DEV === 'true' || (c.MBO_TEMPORAL_DEV === 'auto' && isLocal(c.TEMPORAL_ADDRESS) && !c.TEMPORAL_API_KEY && !c.TEMPORAL_TLS_CERT_PATH);
  return {
    projectRoot: PROJECT_ROOT,
    home: path.resolve(c.MBO_HOME),
    database: { url: c.DATABASE_URL, ownerUrl: c.MBO_DATABASE_OWNER_URL, adminUrl: c.MBO_DATABASE_ADMIN_URL, embeddedPort: c.MBO_PG_PORT },
    temporal: {
      address: c.TEMPORAL_ADDRESS,
      namespace: c.TEMPORAL_NAMESPACE,
      apiKey: c.TEMPORAL_API_KEY,
      tls: c.TEMPORAL_TLS_CERT_PATH && c.TEMPORAL_TLS_KEY_PATH ? { certPath: c.TEMPORAL_TLS_CERT_PATH, keyPath: c.TEMPORAL_TLS_KEY_PATH } : undefined,
      devServer,
      devUiPort: c.MBO_TEMPORAL_UI_PORT,
      binary: c.MBO_TEMPORAL_BIN ?? path.join(PROJECT_ROOT, '.tools', 'bin', 'temporal'),
      uiUrl: (c.TEMPORAL_UI_URL ?? (devServer ? `http://localhost:${c.MBO_TEMPORAL_UI_PORT}` : 'https://cloud.temporal.io')).replace(/\/$/, ''),
      taskQueue: c.MBO_TASK_QUEUE,
      syncTaskQueue: syncQueueFor(c.MBO_TASK_QUEUE),
    },
    workspace: c.MBO_WORKSPACE,
    sandbox: { seed: c.MBO_SANDBOX_SEED, historyDays: c.MBO_SANDBOX_HISTORY_DAYS },
    sync: {
      backfillDays: c.MBO_SYNC_BACKFILL_DAYS,
      lookbackDays: c.MBO_SYNC_LOOKBACK_DAYS,
      pageSize: c.MBO_SYNC_PAGE_SIZE,
      scheduleEvery: c.MBO_SYNC_SCHEDULE,
    },
    alerts: { webhookUrl: c.MBO_ALERT_WEBHOOK_URL },
    metrics: { token: c.MBO_METRICS_TOKEN, workerPort: c.MBO_WORKER_METRICS_PORT, workerHost: c.MBO_WORKER_METRICS_HOST },
    api: {
      host: c.MBO_API_HOST,
      port: c.MBO_API_PORT,
      url: (c.MBO_API_URL ?? `http://${c.MBO_API_HOST.includes(':') ? `[${c.MBO_API_HOST}]` : c.MBO_API_HOST}:${c.MBO_API_PORT}`).replace(/\/$/, ''),
      publicUrl: (c.MBO_PUBLIC_URL ?? c.MBO_API_URL ?? `http://localhost:${c.MBO_API_PORT}`).replace(/\/$/, ''),
      rateLimitPerMinute: c.MBO_API_RATE_LIMIT,
    },
    webUrl: c.MBO_WEB_URL?.replace(/\/$/, ''),
    mcp: { host: c.MBO_MCP_HOST, portBase: c.MBO_MCP_PORT_BASE, allowedHosts: list(c.MBO_MCP_ALLOWED_HOSTS), allowedOrigins: list(c.MBO_MCP_ALLOWED_ORIGINS) },
    apiKey: c.MBO_API_KEY,
    secretKey: c.MBO_SECRET_KEY,
    previousSecretKeys: (c.MBO_SECRET_KEYS_PREVIOUS ?? '')
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
    localUser: c.MBO_USER,
    oauth: { clientSecret: c.MBO_OAUTH_CLIENT_SECRET, googleAdsDeveloperToken: c.MBO_GOOGLE_ADS_DEVELOPER_TOKEN },
    ai: { apiKey: c.ANTHROPIC_API_KEY, model: c.ANTHROPIC_MODEL, baseUrl: c.ANTHROPIC_BASE_URL, maxTurns: c.MBO_AI_MAX_TURNS, maxTokens: c.MBO_AI_MAX_TOKENS },
    logLevel: c.LOG_LEVEL,
  };
}

export function readTlsFiles(tls: { certPath: string; keyPath: string }) {
  return { crt: readFileSync(tls.certPath), key: readFileSync(tls.keyPath) };
}
