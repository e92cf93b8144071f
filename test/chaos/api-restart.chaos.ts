// Chaos 6: the API process (api/main.ts, the real entry point) restarted several times — gracefully (SIGTERM, what
// a deploy or PM2 reload does: in-flight requests finish) and by a crash (SIGKILL) — while clients create change requests with POST /api/v1/change-requests and an Idempotency-Key, retrying
// on refused connections, resets, timeouts, 409 (still in flight) and 5xx — then each client sends its request
// once more, as a client whose answer was lost would. Proves: no duplicate requests (one change request per key),
// none lost, and every retry of a key answers the same request.
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import { apiWorld } from '../e2e/api-harness.js';
import { startInProcessWorker, testContext, testEnv, waitFor } from '../e2e/harness.js';
import { exited, freePort, killHard, numberFromEnv, recordRow, sleep } from './chaos.js';

const RESTARTS = numberFromEnv('MBO_CHAOS_API_RESTARTS', 3);
let ctx: AppContext | undefined;
let worker: Awaited<ReturnType<typeof startInProcessWorker>> | undefined;
let api: ChildProcess | undefined;

afterAll(async () => {
  await killHard(api);
  worker?.worker.shutdown();
  await worker?.done;
  await ctx?.close();
});

interface ClientResult {
  key: string;
  ids: Set<string>;
  attempts: number;
  answered: boolean;
  /** The last HTTP status this key got (409: still claimed as in flight). */
  final?: number;
}

describe('chaos: API restarted under retrying clients', () => {
  let env: Record<string, string>;
  let base: string;
  let w: Awaited<ReturnType<typeof apiWorld>>;
  beforeAll(async () => {
    const port = await freePort();
    env = testEnv({ MBO_SECRET_KEY: randomBytes(32).toString('hex'), MBO_API_PORT: String(port), MBO_API_RATE_LIMIT: '100000', LOG_LEVEL: 'error' });
    ctx = await testContext(env);
    worker = await startInProcessWorker(ctx);
    w = await apiWorld(ctx);
    base = `http://127.0.0.1:${port}`;
  });

  it.each([
    ['SIGTERM', 'graceful restart (SIGTERM)'],
    ['SIGKILL', 'crash (SIGKILL)'],
  ] as const)('creates exactly one change request per Idempotency-Key across API restarts: %s', async (signal, how) => {
    const t0 = Date.now();
    const app = ctx!;
    const tag = randomUUID().slice(0, 8);
    // Each case moves every campaign's budget by its own factor, so both cases can ask for all campaigns.
    const factor = signal === 'SIGTERM' ? 1.1 : 1.2;
    const campaigns = await app.prisma.campaign.findMany({
      where: { status: 'ACTIVE', account: { workspaceId: w.workspaceId } },
      orderBy: { externalId: 'asc' },
    });
    const stopApi = async () => {
      const a = api;
      if (!a || a.exitCode !== null || a.signalCode !== null) return;
      if (signal === 'SIGKILL') return killHard(a);
      a.kill('SIGTERM');
      await exited(a);
    };
    const startApi = async () => {
      api = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'api', 'main.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'ignore'],
      });
      await waitFor(
        'the API answering',
        async () => (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.ok,
        120_000,
      );
    };
    await startApi();

    const post = async (r: ClientResult, body: string, deadline: number) => {
      while (Date.now() < deadline) {
        r.attempts++;
        try {
          const res = await fetch(`${base}/api/v1/change-requests`, {
            method: 'POST',
            headers: { authorization: `Bearer ${w.keys.analyst}`, 'content-type': 'application/json', 'idempotency-key': r.key },
            body,
            signal: AbortSignal.timeout(20_000),
          });
          const text = await res.text();
          r.final = res.status;
          if (res.ok) {
            r.ids.add((JSON.parse(text) as { id: string }).id);
            r.answered = true;
            return;
          }
          if (![409, 429, 500, 502, 503, 504].includes(res.status)) return;
        } catch {
          /* refused, reset or timed out: the API is restarting */
        }
        await sleep(300);
      }
    };
    const results: ClientResult[] = campaigns.map((_, i) => ({ key: `chaos-${tag}-${i}`, ids: new Set(), attempts: 0, answered: false }));
    const bodyOf = (i: number) =>
      JSON.stringify({
        reason: `chaos api ${tag} ${i}`,
        items: [{ kind: 'budget', campaign: campaigns[i]!.id, toBudget: (Number(campaigns[i]!.dailyBudget) * factor).toFixed(2) }],
      });
    // Clients start one every 700 ms, so the kills land while some are in flight.
    const clients = Promise.all(
      results.map(async (r, i) => {
        await sleep(i * 700);
        await post(r, bodyOf(i), Date.now() + 120_000);
      }),
    );
    let restarts = 0;
    for (; restarts < RESTARTS; restarts++) {
      await sleep(1500 + Math.random() * 2000);
      await stopApi();
      await startApi();
    }
    await clients;
    // Every client sends its request again (its answer was "lost"): the same request must come back.
    await Promise.all(results.map((r, i) => post(r, bodyOf(i), Date.now() + 30_000)));
    await stopApi();

    const { rows } = await app.pool.query<{ reason: string; n: string }>(
      `select reason, count(*) as n from change_request where workspace_id = $1 and reason like $2 group by reason`,
      [w.workspaceId, `chaos api ${tag} %`],
    );
    const stored = new Map(rows.map((r) => [r.reason, Number(r.n)]));
    const perKey = results.map((_, i) => stored.get(`chaos api ${tag} ${i}`) ?? 0);
    const lost = perKey.filter((n) => n === 0).length;
    const duplicated = perKey.reduce((s, n) => s + Math.max(0, n - 1), 0);
    const unanswered = results.filter((r) => !r.answered);
    const twoIds = results.filter((r) => r.ids.size > 1).length;
    recordRow({
      fault: `API ${how} ×${restarts} under clients retrying with Idempotency-Keys`,
      runs: results.length,
      lost,
      duplicated,
      outcome: `${results.reduce((s, r) => s + r.attempts, 0)} POSTs; ${unanswered.length} keys never answered${
        unanswered.length ? ` (last answers ${[...new Set(unanswered.map((r) => r.final ?? 'none'))].join(', ')})` : ''
      }; ${twoIds} keys answered with two ids`,
      seconds: (Date.now() - t0) / 1000,
    });
    expect(duplicated).toBe(0);
    expect(lost).toBe(0);
    expect(twoIds).toBe(0);
    expect(unanswered).toEqual([]);
  });
});
