// `mbo bid set` as people run it: a real child process talking HTTP to a real API server (createApp on an ephemeral
// port) over the test database and Temporal with an in-process worker — the child gets only MBO_API_URL and a key.
// A bid change by +10 % waits for approval (exit 0), is approved with `mbo approvals approve` and applied; a strategy
// switch is refused by the use case (exit 2, nothing stored), a move beyond the platform bound is BLOCKED (exit 8),
// and bad options are refused before the network (exit 2).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposeBidTarget } from '../../core/bid-change.js';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiWorld, type ApiWorld } from './api-harness.js';
import { startInProcessWorker, waitFor } from './harness.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the command printed with --json
  json: any;
}

const home = mkdtempSync(path.join(tmpdir(), 'mbo-cli-bid-'));
const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MBO_|DATABASE_URL|TEMPORAL_)/.test(k)));
const NOWHERE = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none', TEMPORAL_ADDRESS: '127.0.0.1:9', LOG_LEVEL: 'warn' };
let apiUrl = '';

function mbo(key: string, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args],
      { cwd: PROJECT_ROOT, env: { ...base, ...NOWHERE, MBO_HOME: home, MBO_API_URL: apiUrl, MBO_API_KEY: key }, maxBuffer: 16 << 20, timeout: 300_000 },
      (err, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr, json });
      },
    );
  });
}

let ctx: AppContext;
let stopWorker: () => Promise<void>;
let server: ServerType;
let w: ApiWorld;

beforeAll(async () => {
  ctx = await apiContext();
  const { worker, done } = await startInProcessWorker(ctx);
  stopWorker = async () => {
    worker.shutdown();
    await done;
  };
  const app = apiFor(ctx);
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });
  apiUrl = `http://127.0.0.1:${port}`;
  w = await apiWorld(ctx); // synced: the campaigns' bid targets are in the store
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await stopWorker?.();
  await ctx?.close();
});

describe('mbo bid set over the API', { timeout: 600_000 }, () => {
  it('requests, is approved and applied; refuses a strategy switch and bad options; a move beyond the bound is BLOCKED', async () => {
    const c1 = await ctx.prisma.campaign.findFirstOrThrow({ where: { externalId: w.campaigns[0]!.externalId, account: { workspaceId: w.workspaceId } } });
    expect(c1.bidKind).toBe('target_cpa');
    const to = proposeBidTarget({ kind: 'target_cpa', value: c1.bidTarget!.toString() }, { by: 0.1 }).value;

    const [req, switched, both, noNumber, beyond] = await Promise.all([
      mbo(w.keys.analyst, ['bid', 'set', c1.externalId, '--by', '+10%', '--reason', 'room to grow', '--json']),
      mbo(w.keys.analyst, ['bid', 'set', c1.externalId, '--target-roas', '3.5']),
      mbo(w.keys.analyst, ['bid', 'set', c1.externalId, '--to', '12', '--by', '5']),
      mbo(w.keys.analyst, ['bid', 'set', c1.externalId, '--by', 'ten']),
      mbo(w.keys.analyst, ['bid', 'set', w.campaigns[3]!.externalId, '--by', '-40%']),
    ]);
    expect(req.code, req.stderr).toBe(0);
    expect(req.json).toMatchObject({ status: 'PENDING_APPROVAL', items: [{ kind: 'bid', bid: { kind: 'target_cpa' } }] });
    expect(Number(req.json.items[0].bid.to)).toBe(Number(to));
    expect(switched.code).toBe(2);
    expect(switched.stderr).toMatch(/bids with target_cpa; changing target_roas would switch its bidding strategy/);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
    expect(noNumber.code).toBe(2);
    expect(noNumber.stderr).toMatch(/--by: not a number/);
    expect(beyond.code, beyond.stderr).toBe(8);
    expect(beyond.stdout).toMatch(/BLOCKED[\s\S]*exceeds google_ads's bound of ±20 %/);

    const shown = await mbo(w.keys.approver, ['approvals', 'show', req.json.id.slice(0, 8)]);
    expect(shown.stdout).toMatch(/target_cpa \d+\.\d\d → \d+\.\d\d/);
    const approved = await mbo(w.keys.approver, ['approvals', 'approve', req.json.id.slice(0, 8), '--wait', '--json']);
    expect(approved.code, approved.stderr).toBe(0);
    await waitFor('applied', async () => (await ctx.prisma.changeRequest.findUnique({ where: { id: req.json.id } }))?.status === 'APPLIED', 60_000);
    const { rows } = await ctx.pool.query<{ v: string }>('select bid_value::text as v from sandbox.campaign where account_id = $1 and id = $2', [
      w.campaigns[0]!.accountExternalId,
      c1.externalId,
    ]);
    expect(Number(rows[0]!.v)).toBe(Number(to));
  });
});
