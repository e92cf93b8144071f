// The `mbo` CLI as people run it: a real child process (`node cli/bin.mjs …`) on the test database and Temporal
// server, acting as the member of its API key (MBO_API_KEY or --key-file) — never as a name typed with --as.
// Roles hold (an analyst requests but cannot approve or change guardrails), ids work by prefix, and every refusal
// has its exit code: 2 bad input, 3 not found, 5 no/revoked key, 6 not allowed, 8 stopped by the policy.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_ROOT } from '../../lib/config.js';
import { createContext, type AppContext } from '../../services/context.js';
import { isolatedSandbox, memberKey, startInProcessWorker, testEnv } from './harness.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the command printed with --json
  json: any;
}

const home = mkdtempSync(path.join(tmpdir(), 'mbo-cli-')); // no key file here: only the key each call is given
const env = testEnv({ MBO_HOME: home });
// The parent's own identity settings must not leak into the child.
const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MBO_|DATABASE_URL|TEMPORAL_)/.test(k)));

function mbo(key: string | undefined, ...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args],
      { cwd: PROJECT_ROOT, env: { ...base, ...env, ...(key ? { MBO_API_KEY: key } : {}) }, maxBuffer: 16 << 20, timeout: 100_000 },
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
let workspace: string;
const keys = { analyst: '', approver: '', admin: '' };
let campaigns: { externalId: string; dailyBudget: string }[] = [];
const scaled = (budget: string, factor: number) => (Math.round(Number(budget) * factor * 100) / 100).toFixed(2);

beforeAll(async () => {
  ctx = await createContext(loadConfig(env));
  const { worker, done } = await startInProcessWorker(ctx);
  stopWorker = async () => {
    worker.shutdown();
    await done;
  };
  const s = await isolatedSandbox(ctx);
  workspace = s.workspace;
  const tag = workspace.slice(3);
  keys.analyst = await memberKey(ctx, workspace, `ana-${tag}`, 'analyst');
  keys.approver = await memberKey(ctx, workspace, `paul-${tag}`, 'approver');
  keys.admin = await memberKey(ctx, workspace, `ada-${tag}`, 'admin');
});

afterAll(async () => {
  await stopWorker?.();
  await ctx?.close();
});

describe('mbo as the member of its API key', { timeout: 180_000 }, () => {
  it('whoami, --as refused, no key, bad budget: before anything is asked of the stack', async () => {
    const [who, as, none, bad] = await Promise.all([
      mbo(keys.analyst, 'whoami', '--json'),
      mbo(keys.analyst, 'budget', 'set', 'sbx-google_ads-c01', '100', '--as', 'alex.approver'),
      mbo(undefined, 'whoami'),
      mbo(keys.analyst, 'budget', 'set', 'sbx-google_ads-c01', '12.345'),
    ]);
    expect(who.code, who.stderr).toBe(0);
    expect(who.json).toMatchObject({ userId: `ana-${workspace.slice(3)}`, workspace, role: 'analyst', keyFrom: 'MBO_API_KEY' });
    expect(as.code).toBe(2);
    expect(as.stderr).toMatch(/unknown option '--as'/);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/no API key: run `npm run up`, or set MBO_API_KEY/);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/<amount>: "12\.345" has more than two decimals/);
  });

  it('sync --wait finishes and exits cleanly (the client closes after the result is read)', async () => {
    const r = await mbo(keys.admin, 'sync', '--from', '2026-05-25', '--to', '2026-05-31', '--wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Channel has been shut down/);
    expect(r.json).toMatchObject({ succeeded: 4, failed: 0 });
    const rows = await ctx.prisma.campaign.findMany({
      where: { account: { workspace: { slug: workspace }, platform: 'google_ads' } },
      orderBy: { externalId: 'asc' },
    });
    campaigns = rows.map((c) => ({ externalId: c.externalId, dailyBudget: c.dailyBudget!.toString() }));
    expect(campaigns.length).toBeGreaterThanOrEqual(3);
  });

  it('an analyst requests; cannot approve (6) nor set guardrails (6); an approver approves two by prefix at once → APPLIED', async () => {
    const [c, d] = [campaigns[0]!, campaigns[2]!];
    const to = scaled(c.dailyBudget, 1.1);
    const [req, req2] = await Promise.all([
      mbo(keys.analyst, 'budget', 'set', c.externalId, to, '--reason', 'more for brand\u001b[8m', '--wait', '--json'),
      mbo(keys.analyst, 'budget', 'set', d.externalId, scaled(d.dailyBudget, 0.9), '--wait', '--json'),
    ]);
    expect(req.code, req.stderr).toBe(0);
    expect(req.json).toMatchObject({ status: 'PENDING_APPROVAL', requestedBy: `ana-${workspace.slice(3)}`, source: 'cli' });
    expect(req2.code, req2.stderr).toBe(0);
    const id: string = req.json.id;
    const id2: string = req2.json.id;

    const [list, self, guard] = await Promise.all([
      mbo(keys.approver, 'approvals', 'list'),
      mbo(keys.analyst, 'approvals', 'approve', id.slice(0, 8)),
      mbo(keys.analyst, 'guardrails', 'set', '--four-eyes', 'off'),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(id.slice(0, 8));
    expect(list.stdout).toMatch(new RegExp(`google_ads\\s+${c.externalId}.*${Number(c.dailyBudget).toFixed(2)} → ${to}`));
    expect(list.stdout).not.toContain('\u001b'); // the reason's control codes never reach the terminal
    expect(self.code).toBe(6);
    expect(self.stderr).toMatch(/only approvers may approve/);
    expect(guard.code).toBe(6);
    expect(guard.stderr).toMatch(/only admins may change guardrails/);

    const ok = await mbo(keys.approver, 'approvals', 'approve', id.slice(0, 8), id2.slice(0, 10), '--note', 'fine', '--wait', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toEqual([
      { requestId: id, status: 'APPLIED' },
      { requestId: id2, status: 'APPLIED' },
    ]);
    const stored = await ctx.prisma.changeRequest.findMany({ where: { id: { in: [id, id2] } }, include: { items: true } });
    for (const r of stored) {
      expect(r).toMatchObject({ status: 'APPLIED', decidedBy: `paul-${workspace.slice(3)}`, decisionNote: 'fine' });
      expect(r.items[0]!.status).toBe('APPLIED');
    }
  });

  it('unknown campaign is 3; a request that ends BLOCKED is 8; guardrails set with nothing to change is 2 and audits nothing', async () => {
    const audited = () => ctx.prisma.auditEvent.count({ where: { action: 'guardrails.updated', workspace: { slug: workspace } } });
    const before = await audited();
    const c = campaigns[1]!;
    const [unknown, blocked, nothing] = await Promise.all([
      mbo(keys.analyst, 'budget', 'set', 'no-such-campaign', '100'),
      mbo(keys.analyst, 'budget', 'set', c.externalId, scaled(c.dailyBudget, 3), '--wait', '--json'),
      mbo(keys.admin, 'guardrails', 'set'),
    ]);
    expect(unknown.code, unknown.stderr).toBe(3);
    expect(blocked.code, blocked.stderr).toBe(8);
    expect(blocked.json).toMatchObject({ status: 'BLOCKED' });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    expect(await audited()).toBe(before);
  });

  it('a key revoked by an admin stops working at once (5), also from a key file', async () => {
    const created = await mbo(keys.admin, 'keys', 'create', '--name', 'short-lived', '--user', `ana-${workspace.slice(3)}`, '--json');
    expect(created.code, created.stderr).toBe(0);
    const file = path.join(home, 'colleague.key');
    writeFileSync(file, `${created.json.key}\n`, { mode: 0o600 });
    const works = await mbo(undefined, '--key-file', file, 'whoami', '--json');
    expect(works.code, works.stderr).toBe(0);
    expect(works.json).toMatchObject({ role: 'analyst', keyFrom: `key file ${file}` });
    const revoked = await mbo(keys.admin, 'keys', 'revoke', created.json.prefix);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await mbo(undefined, 'whoami', '--key-file', file);
    expect(after.code).toBe(5);
    expect(after.stderr).toMatch(new RegExp(`API key ${created.json.prefix} was revoked`));
  });
});
