// `mbo sync`: start a SyncAllWorkflow over the workspace's accounts; with --wait, follow it with a progress bar
// and print each account's result (exit 9 when some accounts failed).
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { startSyncSchema } from '../../services/sync/sync.schema.js';
import { startSync } from '../../services/sync/sync.js';
import { EXIT, printJson, printTable, progressBar, say } from '../output.js';
import { validate, withContext } from '../run.js';

type Started = Awaited<ReturnType<typeof startSync>>;
type SyncResult = Awaited<ReturnType<Started['handle']['result']>>;
type Progress = SyncResult['accounts'];
/** The progress Query of SyncAllWorkflow (syncProgressQuery of the sync contract), by its name. */
const SYNC_PROGRESS_QUERY = 'syncProgress';

/** Polls the progress Query until stopped; `stop()` resolves once no query is in flight (then closing is safe). */
function followProgress(started: Started, show: (p: Progress) => void) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const p = await started.handle.query<Progress>(SYNC_PROGRESS_QUERY).catch(() => undefined);
      if (p && !stopped) show(p);
      await new Promise((r) => setTimeout(r, 300));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
  };
}

export function registerSync(program: Command) {
  program
    .command('sync')
    .description('sync campaigns and daily metrics from the ad platforms (a SyncAllWorkflow in Temporal)')
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
      return withContext(opts, async (ctx) => {
        const started = await startSync(ctx, input);
        const head = { workflowId: started.workflowId, runId: started.runId, url: started.url, range: started.range, clipped: started.clipped };
        if (!opts.json) {
          say(`Started sync ${started.workflowId}`);
          if (started.clipped && started.range) say(`(the range ends today: platforms have no data after ${started.range.to})`);
          say(`Temporal UI: ${started.url}`);
        }
        if (!opts.wait) return opts.json ? printJson(head) : undefined;
        const tty = process.stderr.isTTY && !opts.json;
        const stop = followProgress(started, (p) => {
          if (!tty) return;
          const done = p.filter((a) => a.state === 'succeeded' || a.state === 'failed').length;
          process.stderr.write(`\r${progressBar(done, p.length, 'accounts')}`);
        });
        let result: SyncResult;
        try {
          result = await started.handle.result();
        } catch (e) {
          throw new AppError('INTERNAL', `sync ${started.workflowId} failed: ${(e as Error).message}`);
        } finally {
          // The connection closes after this action returns: no progress query may still be running then.
          await stop();
          if (tty) process.stderr.write('\r\x1b[K');
        }
        if (opts.json) printJson({ ...head, ...result });
        else
          printTable(
            ['Platform', 'Account', 'State', 'Range', 'Rows changed', 'Error'],
            result.accounts.map((a) => [a.platform, a.name, a.state, a.range ? `${a.range.from}..${a.range.to}` : null, a.rows ?? null, a.error ?? '']),
            ['l', 'l', 'l', 'l', 'r', 'l'],
          );
        if (result.failed) {
          process.stderr.write(`mbo: ${result.failed} of ${result.accounts.length} accounts failed to sync\n`);
          process.exitCode = EXIT.PARTIAL;
        }
      });
    });
}
