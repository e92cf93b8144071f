// The `mbo` CLI as people run it: a real child process (`node cli/bin.mjs …`) talking HTTP to a real API server
// (createApp on an ephemeral port, @hono/node-server) over the test database and Temporal with an in-process
// worker. The child gets MBO_API_URL and a key — and a database and Temporal address that answer nothing, so
// anything but the API would fail. Every exit code of the table: 0 done, 2 bad input, 3 not found, 4 stack not
// running, 5 not authenticated, 6 not allowed, 8 conflict or refused by policy, 9 partial. And `mbo dashboard` in a
// real terminal (tmux): the four platforms and a pending approval on screen, q quits, the process ends.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../lib/config.js';
import type { AppContext } from '../../services/context.js';
import { apiContext, apiFor, apiWorld, scaled, userOf, type ApiWorld } from './api-harness.js';
import { startInProcessWorker, waitFor } from './harness.js';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the command printed with --json
  json: any;
}

const home = mkdtempSync(path.join(tmpdir(), 'mbo-cli-')); // no key file here: only the key each call is given
// The parent's own settings must not leak into the child; the database and Temporal it is given answer nothing.
const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MBO_|DATABASE_URL|TEMPORAL_)/.test(k)));
const NOWHERE = { DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none', TEMPORAL_ADDRESS: '127.0.0.1:9', LOG_LEVEL: 'warn' };
let apiUrl = '';

function childEnv(key?: string, extra: Record<string, string> = {}) {
  return { ...base, ...NOWHERE, MBO_HOME: home, MBO_API_URL: apiUrl, ...(key ? { MBO_API_KEY: key } : {}), ...extra };
}

function mbo(key: string | undefined, args: string[], o: { env?: Record<string, string>; input?: string } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [path.join(PROJECT_ROOT, 'cli', 'bin.mjs'), ...args],
      { cwd: PROJECT_ROOT, env: childEnv(key, o.env), maxBuffer: 16 << 20, timeout: 300_000 },
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
    if (o.input !== undefined) child.stdin!.end(o.input);
    else child.stdin!.end();
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
  w = await apiWorld(ctx, { sync: false }); // the CLI syncs it
}, 120_000);

afterAll(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  await stopWorker?.();
  await ctx?.close();
});

describe('mbo over the API, as the member of its key', { timeout: 600_000 }, () => {
  it('0 whoami/--version/--help, 2 bad input (before the network), 4 API unreachable, 5 no key or a bad one', async () => {
    const [who, version, help, as, money, missing, down, none, bogus] = await Promise.all([
      mbo(w.keys.analyst, ['whoami', '--json']),
      mbo(undefined, ['--version']),
      mbo(undefined, ['approvals', 'approve', '--help']),
      mbo(w.keys.analyst, ['budget', 'set', 'sbx-google_ads-c01', '100', '--as', 'alex.approver']),
      mbo(w.keys.analyst, ['budget', 'set', 'sbx-google_ads-c01', '12.345']),
      mbo(w.keys.admin, ['keys', 'create']),
      mbo(w.keys.analyst, ['status'], { env: { MBO_API_URL: 'http://127.0.0.1:9' } }),
      mbo(undefined, ['whoami']),
      mbo(`mbo_00000000_${'x'.repeat(43)}`, ['status', '--json']),
    ]);
    expect(who.code, who.stderr).toBe(0);
    expect(who.json).toMatchObject({ userId: userOf(w, 'analyst'), workspace: w.workspace, role: 'analyst', keyFrom: 'MBO_API_KEY', api: apiUrl });
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:\n\s+\$ mbo approvals approve/);
    expect(as.code).toBe(2);
    expect(as.stderr).toMatch(/unknown option '--as'/);
    expect(money.code).toBe(2); // 12.345 is refused, never rounded
    expect(money.stderr).toMatch(/<amount>: "12\.345" has more than two decimals/);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/required option '--name <name>' not specified/);
    expect(down.code).toBe(4);
    expect(down.stderr).toMatch(/the MBO API at http:\/\/127\.0\.0\.1:9 is not reachable.*npm run up/);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/no API key: run `npm run up` or `mbo login`/);
    expect(bogus.code).toBe(5);
    expect(bogus.json.error.code).toBe('UNAUTHENTICATED');
  });

  it('sync --wait follows the sync through the API to its result; a future range is refused (2); a failing account is partial (9)', async () => {
    const [ok, future] = await Promise.all([
      mbo(w.keys.admin, ['sync', '--from', '2026-05-18', '--to', '2026-05-31', '--wait', '--json']),
      mbo(w.keys.admin, ['sync', '--from', '2099-01-01', '--to', '2099-01-07', '--wait']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toMatch(/Channel has been shut down/);
    expect(ok.json).toMatchObject({ state: 'completed', succeeded: 4, failed: 0 });
    expect(ok.json.accounts.every((a: { rows: number }) => a.rows > 0)).toBe(true);
    // The world was made without a sync: its campaigns exist from this sync on.
    const google = w.accounts.find((a) => a.platform === 'google_ads')!;
    const rows = await ctx.prisma.campaign.findMany({ where: { accountId: google.id }, orderBy: { externalId: 'asc' } });
    w.campaigns = rows.map((c) => ({ id: c.id, externalId: c.externalId, dailyBudget: c.dailyBudget!.toString(), accountExternalId: google.externalId }));
    expect(w.campaigns.length).toBeGreaterThanOrEqual(5);
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/the range starts in the future \(2099-01-01\)/);

    const tiktok = w.accounts.find((a) => a.platform === 'tiktok')!;
    await w.sandbox.injectFault({ accountId: tiktok.externalId, operation: 'authenticate', kind: 'auth_expired', count: 1 });
    const partial = await mbo(w.keys.admin, ['sync', '--from', '2026-05-30', '--to', '2026-05-31', '--wait']);
    expect(partial.code, partial.stderr).toBe(9);
    expect(partial.stderr).toMatch(/1 of 4 accounts failed to sync/);
    expect(partial.stdout).toMatch(/tiktok\s+.*failed/);
  });

  it('status has a totals row; campaigns show both ids, platform, account, budget and 7/30-day metrics', async () => {
    const c = w.campaigns[0]!;
    const [status, list, search, show, nope] = await Promise.all([
      mbo(w.keys.viewer, ['status']),
      mbo(w.keys.viewer, ['campaigns', '--platform', 'google_ads', '--json']),
      mbo(w.keys.viewer, ['campaigns', 'search', c.externalId.slice(-3), '--no-metrics']),
      mbo(w.keys.viewer, ['campaigns', 'show', c.externalId, '--json']),
      mbo(w.keys.viewer, ['campaigns', 'show', 'no-such-campaign']),
    ]);
    expect(status.code, status.stderr).toBe(0);
    for (const p of ['google_ads', 'meta', 'tiktok', 'linkedin']) expect(status.stdout).toContain(p);
    expect(status.stdout).toMatch(/\nTotal\s+4\s+\d+\/\d+/);
    expect(list.code, list.stderr).toBe(0);
    const row = list.json.items.find((x: { externalId: string }) => x.externalId === c.externalId);
    expect(row).toMatchObject({ id: c.id, platform: 'google_ads', account: { externalId: c.accountExternalId } });
    expect(row.dailyBudget).toMatch(/^\d+\.\d{2}$/); // two decimals, as budgets are set
    expect(Number(row.dailyBudget)).toBe(Number(c.dailyBudget));
    expect(Number(row.last7Days.spend)).toBeGreaterThan(0);
    expect(Number(row.last30Days.spend)).toBeGreaterThan(Number(row.last7Days.spend));
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain(c.id.slice(0, 8));
    expect(search.stdout).toContain(c.externalId);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json).toMatchObject({ campaign: { id: c.id, externalId: c.externalId }, last7Days: { spend: row.last7Days.spend } });
    // The response curve summary: the what-if at ½, 1, 1.5 and 2× today's budget (or why it cannot be drawn).
    const curve = show.json.responseCurve as { points?: { factor: number; budget: string }[]; unavailable?: string };
    if (curve.points) expect(curve.points.map((p) => p.factor)).toEqual([0.5, 1, 1.5, 2]);
    else expect(curve.unavailable).toMatch(/\w/);
    expect(nope.code).toBe(3);
  });

  it('analyst requests (0); cannot approve (6) nor set guardrails (6); own request under four-eyes is 8 and never listed as approver; two approved by prefix at once', async () => {
    const [c, d] = [w.campaigns[0]!, w.campaigns[2]!];
    const to = scaled(c.dailyBudget, 1.1);
    const [req, req2, own] = await Promise.all([
      mbo(w.keys.analyst, ['budget', 'set', c.externalId, to, '--reason', 'more for brand\u001b[8m', '--json']),
      mbo(w.keys.analyst, ['budget', 'set', d.externalId, scaled(d.dailyBudget, 0.9), '--json']),
      mbo(w.keys.approver, ['budget', 'set', w.campaigns[3]!.externalId, scaled(w.campaigns[3]!.dailyBudget, 1.05), '--json']),
    ]);
    expect(req.code, req.stderr).toBe(0);
    expect(req.json).toMatchObject({ status: 'PENDING_APPROVAL', requestedBy: userOf(w, 'analyst'), source: 'api' });
    expect(req2.code, req2.stderr).toBe(0);
    expect(own.code, own.stderr).toBe(0);
    const [id, id2, ownId] = [req.json.id as string, req2.json.id as string, own.json.id as string];

    const [list, self, guard, fourEyes, showOwn] = await Promise.all([
      mbo(w.keys.approver, ['approvals', 'list']),
      mbo(w.keys.analyst, ['approvals', 'approve', id.slice(0, 8)]),
      mbo(w.keys.analyst, ['guardrails', 'set', '--four-eyes', 'off']),
      mbo(w.keys.approver, ['approvals', 'approve', ownId.slice(0, 8)]),
      mbo(w.keys.viewer, ['approvals', 'show', ownId.slice(0, 8), '--json']),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(id.slice(0, 8));
    expect(list.stdout).toMatch(new RegExp(`google_ads\\s+${c.externalId}.*${Number(c.dailyBudget).toFixed(2)} → ${to}`));
    expect(list.stdout).not.toContain('\u001b'); // the reason's control codes never reach the terminal
    expect(self.code).toBe(6);
    expect(self.stderr).toMatch(/only approvers may approve/);
    expect(guard.code).toBe(6);
    expect(guard.stderr).toMatch(/only admins may change guardrails/);
    expect(fourEyes.code, fourEyes.stderr).toBe(8);
    expect(showOwn.code, showOwn.stderr).toBe(0);
    expect(showOwn.json.live.approvers).not.toContain(userOf(w, 'approver'));
    expect(showOwn.json.live.approvers).toContain(userOf(w, 'approver2'));

    const ok = await mbo(w.keys.approver2, ['approvals', 'approve', id.slice(0, 8), id2.slice(0, 10), '--note', 'fine', '--wait', '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toEqual([
      { requestId: id, status: 'APPLIED' },
      { requestId: id2, status: 'APPLIED' },
    ]);
    const [again, rejected] = await Promise.all([
      mbo(w.keys.approver2, ['approvals', 'approve', id.slice(0, 8)]), // already decided: a conflict
      mbo(w.keys.approver2, ['approvals', 'reject', ownId.slice(0, 8), '--note', 'not now', '--json']),
    ]);
    expect(again.code).toBe(8);
    expect(rejected.code, rejected.stderr).toBe(0);
    const after = await mbo(w.keys.viewer, ['approvals', 'show', ownId, '--json']);
    expect(after.json.status).toBe('REJECTED');
    expect(after.json.items.map((i: { status: string }) => i.status)).toEqual(['NOT_APPLIED']); // never "pending"
  });

  it('unknown campaign 3; a request that ends BLOCKED is 8 without --wait and says no human is needed; guardrails set with nothing is 2 and audits nothing', async () => {
    const audited = () => ctx.prisma.auditEvent.count({ where: { action: 'guardrails.updated', workspace: { slug: w.workspace } } });
    const before = await audited();
    const c = w.campaigns[1]!;
    const [unknown, blocked, nothing, show] = await Promise.all([
      mbo(w.keys.analyst, ['budget', 'set', 'no-such-campaign', '100']),
      mbo(w.keys.analyst, ['budget', 'set', c.externalId, scaled(c.dailyBudget, 3)]),
      mbo(w.keys.admin, ['guardrails', 'set']),
      mbo(w.keys.viewer, ['guardrails', 'show', '--json']),
    ]);
    expect(unknown.code, unknown.stderr).toBe(3);
    expect(blocked.code, blocked.stderr).toBe(8);
    expect(blocked.stdout).toMatch(/— BLOCKED/);
    expect(blocked.stdout).toMatch(/✗ guardrail:/);
    expect(blocked.stdout).not.toMatch(/needs a human approval/);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    expect(await audited()).toBe(before);
    expect(show.code, show.stderr).toBe(0);
    expect(show.json.platformDefaults.learningPhaseDays).toMatchObject({ meta: 3, tiktok: 2, google_ads: 1, linkedin: 1 });
  });

  it('rules, alerts, audit filters, members, keys, webhooks read through the API', async () => {
    const [rules, alerts, audit, members, keys, hooks, nope] = await Promise.all([
      mbo(w.keys.viewer, ['rules', '--json']),
      mbo(w.keys.viewer, ['alerts', '--json']),
      mbo(w.keys.viewer, ['audit', '--actor', userOf(w, 'approver2'), '--action', 'change_request.', '--since', '1d', '--json']),
      mbo(w.keys.viewer, ['members']),
      mbo(w.keys.admin, ['keys']),
      mbo(w.keys.admin, ['webhooks', '--json']),
      mbo(w.keys.viewer, ['approvals', 'show', 'ffffffff']),
    ]);
    for (const r of [rules, alerts, audit, members, keys, hooks]) expect(r.code, r.stderr).toBe(0);
    expect(Array.isArray(rules.json)).toBe(true);
    expect(alerts.json).toHaveProperty('items');
    expect(audit.json.items.length).toBeGreaterThan(0);
    expect(audit.json.items.every((e: { actor: string; action: string }) => e.actor === userOf(w, 'approver2') && e.action.startsWith('change_request.'))).toBe(
      true,
    );
    expect(members.stdout).toContain(userOf(w, 'admin'));
    expect(keys.stdout).toContain(userOf(w, 'viewer'));
    expect(hooks.json).toEqual([]);
    expect(nope.code).toBe(3);
  });

  it('login stores a checked key (0600) that later commands use; a revoked key stops working at once (5); logout forgets it', async () => {
    const created = await mbo(w.keys.admin, ['keys', 'create', '--name', 'laptop', '--user', userOf(w, 'analyst'), '--json']);
    expect(created.code, created.stderr).toBe(0);
    const bad = await mbo(undefined, ['login', '--key-stdin'], { input: `mbo_00000000_${'y'.repeat(43)}\n` });
    expect(bad.code).toBe(5);
    expect(existsSync(path.join(home, 'login.key'))).toBe(false);
    const login = await mbo(undefined, ['login', '--key-stdin'], { input: `${created.json.key}\n` });
    expect(login.code, login.stderr).toBe(0);
    expect(statSync(path.join(home, 'login.key')).mode & 0o777).toBe(0o600);
    const who = await mbo(undefined, ['whoami', '--json']);
    expect(who.code, who.stderr).toBe(0);
    expect(who.json).toMatchObject({ userId: userOf(w, 'analyst'), keyFrom: expect.stringMatching(/login\.key \(mbo login\)$/) });
    const revoked = await mbo(w.keys.admin, ['keys', 'revoke', created.json.prefix]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const after = await mbo(undefined, ['whoami']);
    expect(after.code).toBe(5);
    expect(after.stderr).toMatch(new RegExp(`API key ${created.json.prefix} was revoked`));
    const out = await mbo(undefined, ['logout']);
    expect(out.code).toBe(0);
    expect(existsSync(path.join(home, 'login.key'))).toBe(false);
    expect((await mbo(undefined, ['logout'])).stdout).toMatch(/Not logged in/);
  });

  it('dashboard in a real terminal (tmux 120×40): the four platforms and a pending approval; q quits and the process ends', async () => {
    const c = w.campaigns[4]!;
    const pending = await mbo(w.keys.analyst, ['budget', 'set', c.externalId, scaled(c.dailyBudget, 1.2), '--json']);
    expect(pending.code, pending.stderr).toBe(0);
    const id: string = pending.json.id;
    const socket = `mbo-cli-test-${process.pid}`;
    const session = 'dash';
    const exitFile = path.join(home, 'dashboard.exit');
    const env: Record<string, string | undefined> = childEnv(w.keys.viewer);
    const vars = ['MBO_HOME', 'MBO_API_URL', 'MBO_API_KEY', 'DATABASE_URL', 'TEMPORAL_ADDRESS', 'PATH', 'HOME'];
    const cmd = `${vars.map((k) => `${k}='${env[k] ?? ''}'`).join(' ')} TERM=xterm-256color '${process.execPath}' '${path.join(PROJECT_ROOT, 'cli', 'bin.mjs')}' dashboard --interval 2; echo $? > '${exitFile}'`;
    const tmux = (...a: string[]) => execFileSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '40', `env -i sh -c "${cmd.replace(/"/g, '\\"')}"`);
    try {
      const screen = await waitFor(
        'the dashboard on screen',
        async () => {
          const s = tmux('capture-pane', '-p', '-t', session);
          return ['google_ads', 'meta', 'tiktok', 'linkedin', id.slice(0, 8)].every((x) => s.includes(x)) ? s : undefined;
        },
        60_000,
      );
      expect(screen).toMatch(/Pending approvals \(\d+\)/);
      expect(screen.split('\n').every((l) => l.length <= 120)).toBe(true);
      tmux('send-keys', '-t', session, 'Enter'); // open the selected (newest) request: its items from → to
      const detail = await waitFor('the request opened', async () => {
        const s = tmux('capture-pane', '-p', '-t', session);
        return s.includes(`Change request ${id}`) ? s : undefined;
      });
      expect(detail).toContain(c.externalId);
      tmux('send-keys', '-t', session, 'q');
      await waitFor('the dashboard to exit', async () => existsSync(exitFile) && readFileSync(exitFile, 'utf8').trim() !== '', 20_000);
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    } finally {
      try {
        tmux('kill-server');
      } catch {
        // the session ended with the dashboard: nothing left to stop
      }
    }
  });
});

describe('mbo sandbox advance over the API', { timeout: 60_000 }, () => {
  it('moves the sandbox clock (analyst) and a viewer is refused (6)', async () => {
    const [ok, viewer] = await Promise.all([
      mbo(w.keys.analyst, ['sandbox', 'advance', '--days', '1', '--account', w.accounts[0]!.externalId, '--json']),
      mbo(w.keys.viewer, ['sandbox', 'advance', '--days', '1']),
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json.accounts).toHaveLength(1);
    expect(viewer.code).toBe(6);
  });
});
