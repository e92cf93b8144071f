// Shared pieces of the chaos suite (test/chaos, `npm run test:chaos`): the row each case records for the final
// table (fault, runs, lost, duplicated, outcome), process helpers for the faults (kill -9 a child, wait for its exit,
// a free loopback port) and the sandbox mutation counts that say "exactly once". The worlds themselves come from
// test/e2e/harness.ts and api-harness.ts.
import { appendFileSync } from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import { inject } from 'vitest';
import type { Pool } from 'pg';

declare module 'vitest' {
  export interface ProvidedContext {
    /** JSON-lines file the cases append their rows to; the suite's teardown prints it as a table. */
    chaosResults: string;
  }
}

export interface ChaosRow {
  fault: string;
  /** How many operations ran through the fault (requests, rows, calls). */
  runs: number;
  lost: number;
  duplicated: number;
  outcome: string;
  seconds: number;
}

/** Records a case's row (printed now and in the table at the end of the suite). */
export function recordRow(row: ChaosRow): void {
  console.log(`[chaos] ${row.fault}: runs ${row.runs}, lost ${row.lost}, duplicated ${row.duplicated}, ${row.outcome} (${row.seconds.toFixed(0)} s)`);
  appendFileSync(inject('chaosResults'), JSON.stringify(row) + '\n');
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const numberFromEnv = (name: string, dflt: number) => {
  const v = process.env[name];
  const n = v === undefined || v === '' ? dflt : Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${v}")`);
  return n;
};

export const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

/** SIGKILL one child this suite started, and wait until it is gone. */
export async function killHard(c: ChildProcess | undefined): Promise<void> {
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  c.kill('SIGKILL');
  await exited(c);
}

/** A loopback port nobody listens on right now (for servers the suite starts and restarts on a fixed port). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** Sandbox mutations per campaign of these accounts: how many campaigns changed, and how many changed twice or more. */
export async function mutationsPerCampaign(pool: Pool, accountExternalIds: string[]): Promise<{ total: number; campaigns: number; repeated: number }> {
  const { rows } = await pool.query<{ total: string; campaigns: string; repeated: string }>(
    `select coalesce(sum(n), 0) as total, count(*) as campaigns, count(*) filter (where n > 1) as repeated
       from (select campaign_id, count(*) as n from sandbox.mutation where account_id = any($1) group by account_id, campaign_id) m`,
    [accountExternalIds],
  );
  const r = rows[0]!;
  return { total: Number(r.total), campaigns: Number(r.campaigns), repeated: Number(r.repeated) };
}
