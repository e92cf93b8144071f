// Shared pieces of the API end-to-end tests: a synced sandbox workspace with one member (and one API key) per
// role, requests sent to the in-process Hono app (`app.request`, no socket), and the row counts and sandbox
// mutation count that show an invalid request changed nothing.
import { createHmac, randomBytes } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect } from 'vitest';
import { createApp } from '../../api/app.js';
import type { ApiApp } from '../../api/env.js';
import type { Role } from '../../services/actor.js';
import type { AppContext } from '../../services/context.js';
import { startSync } from '../../services/sync/sync.js';
import { isolatedSandbox, memberContext, memberKey, startInProcessWorker, testContext, waitFor } from './harness.js';

/** A context for API tests: a secret key so webhook secrets can be sealed (MBO_SECRET_KEY; no key file in MBO_HOME). */
export const apiContext = (extra: Record<string, string> = {}) => testContext({ MBO_SECRET_KEY: randomBytes(32).toString('hex'), ...extra });

/** One member per role, plus a second approver and a second admin (four-eyes needs two of each). */
export const PEOPLE = { viewer: 'vic', analyst: 'ana', approver: 'paul', approver2: 'vera', admin: 'ada', admin2: 'adam' } as const;
export type Person = keyof typeof PEOPLE;
const ROLE_OF: Record<Person, Role> = { viewer: 'viewer', analyst: 'analyst', approver: 'approver', approver2: 'approver', admin: 'admin', admin2: 'admin' };

export interface ApiWorld {
  workspace: string;
  workspaceId: string;
  accounts: Awaited<ReturnType<typeof isolatedSandbox>>['accounts'];
  sandbox: Awaited<ReturnType<typeof isolatedSandbox>>['sandbox'];
  keys: Record<Person, string>;
  /** The synced campaigns of the Google Ads account (by platform id). */
  campaigns: { id: string; externalId: string; dailyBudget: string; accountExternalId: string }[];
}

/**
 * A fresh sandbox workspace with members and keys; synced over a week (campaigns and metrics stored) when a
 * worker polls the context's task queue. Each person's userId is suffixed so worlds never share users.
 */
export async function apiWorld(ctx: AppContext, opts: { sync?: boolean } = {}): Promise<ApiWorld> {
  const s = await isolatedSandbox(ctx);
  const tag = s.workspace.slice(3);
  const keys = {} as Record<Person, string>;
  for (const p of Object.keys(PEOPLE) as Person[]) keys[p] = await memberKey(ctx, s.workspace, `${PEOPLE[p]}-${tag}`, ROLE_OF[p]);
  const admin = await memberContext(ctx, s.workspace, `${PEOPLE.admin}-${tag}`, 'admin');
  if (opts.sync !== false) await (await startSync(admin, { from: '2026-05-25', to: '2026-05-31' })).handle.result();
  const google = s.accounts.find((a) => a.platform === 'google_ads')!;
  const rows = await ctx.prisma.campaign.findMany({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } });
  return {
    workspace: s.workspace,
    workspaceId: admin.actor.workspaceId,
    accounts: s.accounts,
    sandbox: s.sandbox,
    keys,
    campaigns: rows.map((c) => ({ id: c.id, externalId: c.externalId, dailyBudget: c.dailyBudget!.toString(), accountExternalId: google.externalId })),
  };
}

/** The user id of a person in a world. */
export const userOf = (w: ApiWorld, p: Person) => `${PEOPLE[p]}-${w.workspace.slice(3)}`;

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the route answered
  body: any;
}

export interface CallOptions {
  key?: string;
  /** A JSON body (serialized), or a raw string sent as it is. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

/** Sends a request to the in-process app and reads the answer (JSON parsed where it is JSON). */
export async function call(app: ApiApp, method: string, path: string, o: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(o.key ? { authorization: `Bearer ${o.key}` } : {}) };
  let body: string | undefined;
  if (o.raw !== undefined) body = o.raw;
  else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] = 'application/json';
  }
  const res = await app.request(path, { method, headers: { ...headers, ...o.headers }, body });
  const text = await res.text();
  let parsed: unknown = undefined;
  if (/json/.test(res.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, body: parsed };
}

/** Asserts a problem+json answer with this status and code, whose detail matches `detail`. */
export function expectProblem(a: Answer, status: number, code: string, detail?: RegExp): void {
  expect({ status: a.status, code: a.body?.code }, a.text).toEqual({ status, code });
  expect(a.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(a.body.status).toBe(status);
  expect(typeof a.body.detail).toBe('string');
  if (detail) expect(a.body.detail).toMatch(detail);
}

/** Rows a write could have added or changed, for one workspace — and the sandbox's mutations of its accounts. */
export async function footprint(ctx: AppContext, w: ApiWorld) {
  const { rows } = await ctx.pool.query<Record<string, string>>(
    `select (select count(*) from change_request where workspace_id = $1) as change_request,
            (select count(*) from change_item i join change_request r on r.id = i.request_id where r.workspace_id = $1) as change_item,
            (select count(*) from rule where workspace_id = $1) as rule,
            (select count(*) from guardrail_setting where workspace_id = $1) as guardrail_setting,
            (select md5(coalesce(string_agg(policy::text, ',' order by id), '')) from guardrail_setting where workspace_id = $1) as policies,
            (select count(*) from api_key where workspace_id = $1) as api_key,
            (select count(*) from api_key where workspace_id = $1 and revoked_at is not null) as revoked_keys,
            (select count(*) from member where workspace_id = $1) as member,
            (select md5(coalesce(string_agg(user_id || role::text, ',' order by user_id), '')) from member where workspace_id = $1) as roles,
            (select count(*) from sandbox.mutation where account_id = any($2)) as sandbox_mutations`,
    [w.workspaceId, w.accounts.map((a) => a.externalId)],
  );
  return rows[0]!;
}

/** A budget `factor` × the campaign's (two decimals). */
export const scaled = (budget: string, factor: number) => (Math.round(Number(budget) * factor * 100) / 100).toFixed(2);

export function apiFor(ctx: AppContext, rateLimitPerMinute = 100_000): ApiApp {
  return createApp(ctx, { rateLimitPerMinute });
}

/** Waits until the change request has the status (read straight from the store). */
export async function statusIs(ctx: AppContext, id: string, status: string, timeoutMs = 30_000) {
  try {
    return await waitFor(`${id} ${status}`, async () => (await ctx.prisma.changeRequest.findUnique({ where: { id } }))?.status === status, timeoutMs);
  } catch (e) {
    const r = await ctx.prisma.changeRequest.findUnique({ where: { id } });
    throw new Error(`${(e as Error).message} (it is ${r?.status}: ${JSON.stringify(r?.guardrails ?? r?.outcome ?? null).slice(0, 400)})`);
  }
}

/** The headers of a signed inbound decision: X-MBO-Timestamp and X-MBO-Signature v1=hex(HMAC-SHA256(secret, ts.body)). */
export function signed(secret: string, rawBody: string, ts = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`${ts}.${rawBody}`).digest('hex');
  return { 'content-type': 'application/json', 'x-mbo-timestamp': String(ts), 'x-mbo-signature': `v1=${sig}` };
}

export interface ApiSuite {
  ctx: AppContext;
  app: ApiApp;
  w: ApiWorld;
  worker: { worker: Worker; done: Promise<void> };
}

/** For a test file: before all, a context, an in-process worker, the app and a synced world; after all, stopped. */
export function apiSuite(): ApiSuite {
  const s = {} as ApiSuite;
  beforeAll(async () => {
    s.ctx = await apiContext();
    s.worker = await startInProcessWorker(s.ctx);
    s.app = apiFor(s.ctx);
    s.w = await apiWorld(s.ctx);
  });
  afterAll(async () => {
    s.worker?.worker.shutdown();
    await s.worker?.done;
    await s.ctx?.close();
  });
  return s;
}
