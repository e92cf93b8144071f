// `mbo sync`: start a SyncAllWorkflow over the workspace's accounts (POST /syncs); with --wait, follow it through
// the API (GET /syncs/{id}, polled) with a progress bar and print each account's result (exit 9 when some
// accounts failed). The CLI holds no Temporal connection, so nothing is left to close after the result.
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { startSyncSchema } from '../../services/sync/sync.schema.js';
import type { ApiClient, SyncState } from '../api-client.js';
import { examples } from '../help.js';
import { EXIT, printJson, printTable, progress, say } from '../output.js';
import { validate, withApi } from '../run.js';

const POLL_MS = 400;

/** Polls the sync until its workflow is done (at most `timeoutMs`), reporting progress on the way. */
export async function followSync(api: ApiClient, workflowId: string, show: (s: SyncState) => void, timeoutMs = 600_000): Promise<SyncState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await api.sync(workflowId);
    show(s);
    if (s.state !== 'running') return s;
    if (Date.now() > deadline) throw new AppError('TRANSIENT', `sync ${workflowId} is still running after ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export function registerSync(program: Command) {
  examples(
    program
      .command('sync')
      .description('sync campaigns and daily metrics from the ad platforms (a SyncAllWorkflow in Temporal, started through the API)')
      .option('--account <id...>', "only these accounts: MBO's id or the platform's (e.g. sbx-meta)")
      .option('--from <date>', 'first day, YYYY-MM-DD (with --to; default: since the last sync)')
      .option('--to <date>', 'last day, YYYY-MM-DD')
      .option('--wait', 'wait for the sync to finish, with a progress bar')
      .option('--json', 'machine-readable output')
      .action((opts: { account?: string[]; from?: string; to?: string; wait?: boolean; json?: boolean }) => {
        const input = validate(
          startSyncSchema,
          { accounts: opts.account, from: opts.from, to: opts.to },
          { accounts: '--account', from: '--from', to: '--to' },
          opts.json,
        );
        return withApi(opts, async ({ api }) => {
          const started = await api.startSync(input);
          const head = { workflowId: started.workflowId, runId: started.runId, url: started.url, range: started.range, clipped: started.clipped };
          if (!opts.json) {
            say(`Started sync ${started.workflowId}`);
            if (started.clipped && started.range) say(`(the range is cut at today: platforms have no data after ${started.range.to})`);
            say(`Temporal UI: ${started.url}`);
          }
          if (!opts.wait) return opts.json ? printJson(head) : undefined;
          const bar = progress('accounts synced', opts.json);
          let result: SyncState;
          try {
            result = await followSync(api, started.workflowId, (s) => {
              if (s.accounts.length) bar.update(s.succeeded + s.failed, s.accounts.length);
            });
          } finally {
            bar.stop();
          }
          if (result.state === 'failed') throw new AppError('INTERNAL', `sync ${started.workflowId} failed: ${result.error ?? 'see the Temporal UI'}`);
          if (opts.json) printJson({ ...head, ...result });
          else {
            printTable(
              ['Platform', 'Account', 'State', 'Range', 'Rows changed', 'Error'],
              result.accounts.map((a) => [a.platform, a.name, a.state, a.range ? `${a.range.from}..${a.range.to}` : null, a.rows ?? null, a.error ?? '']),
              ['l', 'l', 'l', 'l', 'r', 'l'],
            );
            const rows = result.accounts.reduce((s, a) => s + (a.rows ?? 0), 0);
            if (!result.failed && rows === 0) say('No rows changed: the platforms had nothing new for this range.');
          }
          if (result.failed) {
            process.stderr.write(`mbo: ${result.failed} of ${result.accounts.length} accounts failed to sync\n`);
            process.exitCode = EXIT.PARTIAL;
          }
        });
      }),
    ['mbo sync --wait', 'mbo sync --account sbx-meta --from 2026-05-01 --to 2026-05-31 --wait', 'mbo sync --json'],
  );
}
