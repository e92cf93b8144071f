// The Idempotency-Key middleware against a real Postgres (a scratch database on DATABASE_URL's server): a key
// claimed by a process that died is taken over once its lease lapses (not before), a slow live request keeps its
// claim, a completed key replays its answer, and another body is refused. Leases are shortened to keep it quick.
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import { createScratchDatabase } from '../db/database.js';
import { closePrisma, getPrisma } from '../db/prisma.js';
import type { PrismaClient } from '../db/prisma.js';
import type { Actor } from '../services/actor.js';
import type { AppContext } from '../services/context.js';
import type { ApiEnv } from './env.js';
import { idempotency } from './idempotency.js';

const adminUrl = process.env.DATABASE_URL;
const WORKSPACE = '00000000-0000-4000-8000-0000000000aa';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!adminUrl)('idempotency middleware (needs DATABASE_URL: a Postgres server to make a scratch database on)', () => {
  let prisma: PrismaClient;
  let drop: (() => Promise<void>) | undefined;
  let runs = 0;
  let slowMs = 0;
  let app: Hono<ApiEnv>;

  beforeAll(async () => {
    const db = await createScratchDatabase(adminUrl!, `mbo_unit_idem_${process.pid}`);
    drop = db.drop;
    prisma = getPrisma(db.url);
    app = new Hono<ApiEnv>();
    app.onError((e, c) =>
      c.json({ code: e instanceof AppError ? e.code : 'INTERNAL', message: e.message }, e instanceof AppError && e.code === 'CONFLICT' ? 409 : 500),
    );
    app.use('*', async (c, next) => {
      c.set('actor', { workspaceId: WORKSPACE, userId: 'ana' } as Actor);
      await next();
    });
    app.use('*', idempotency({ prisma } as unknown as AppContext, { leaseMs: 1_000, renewMs: 200 }));
    app.post('/things', async (c) => {
      runs++;
      if (slowMs) await sleep(slowMs);
      return c.json({ run: runs }, 201);
    });
  }, 120_000);

  afterAll(async () => {
    await closePrisma();
    await drop?.();
  });

  const post = (key: string, body: object = { a: 1 }) =>
    app.request('/things', { method: 'POST', headers: { 'idempotency-key': key, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const scope = `${WORKSPACE}:ana:POST /things`;

  it('answers a retry of a completed key with the stored answer, and refuses another body', async () => {
    const before = runs;
    const a = await post('key-complete-1');
    const b = await post('key-complete-1');
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(await b.json()).toEqual(await a.json());
    expect(runs).toBe(before + 1);
    expect((await post('key-complete-1', { a: 2 })).status).toBe(500); // VALIDATION (this app maps it to 500)
  });

  it('takes over a claim left by a process that died, only after its lease lapsed', async () => {
    // What a crashed API leaves behind: an IN_FLIGHT claim that nobody renews.
    const { sha256 } = await import('../services/auth/tokens.js');
    await prisma.idempotencyRecord.create({ data: { scope, key: 'key-dead-owner', requestHash: sha256(JSON.stringify({ a: 1 })), status: 0, body: {} } });
    const before = runs;
    const early = await post('key-dead-owner');
    expect(early.status).toBe(409);
    expect(early.headers.get('retry-after')).toBe('1');
    expect(runs).toBe(before);
    await sleep(1_200);
    const late = await post('key-dead-owner');
    expect(late.status).toBe(201);
    expect(runs).toBe(before + 1);
    const again = await post('key-dead-owner');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(runs).toBe(before + 1);
  });

  it('keeps the claim of a live request that runs longer than the lease (renewed), so no retry runs it twice', async () => {
    slowMs = 3_000;
    try {
      const before = runs;
      const first = post('key-slow-live');
      await sleep(1_500); // past one lease: a dead owner's claim would have lapsed by now
      const retry = await post('key-slow-live');
      expect(retry.status).toBe(409);
      expect((await first).status).toBe(201);
      expect(runs).toBe(before + 1);
    } finally {
      slowMs = 0;
    }
  });

  it('lets exactly one of many simultaneous retries take over a lapsed claim', async () => {
    const { sha256 } = await import('../services/auth/tokens.js');
    await prisma.idempotencyRecord.create({
      data: { scope, key: 'key-race', requestHash: sha256(JSON.stringify({ a: 1 })), status: 0, body: {}, createdAt: new Date(Date.now() - 10_000) },
    });
    slowMs = 300;
    try {
      const before = runs;
      const answers = await Promise.all(Array.from({ length: 8 }, () => post('key-race')));
      expect(answers.filter((r) => r.status === 201).length).toBe(1);
      expect(answers.filter((r) => r.status === 409).length).toBe(7);
      expect(runs).toBe(before + 1);
    } finally {
      slowMs = 0;
    }
  });
});
