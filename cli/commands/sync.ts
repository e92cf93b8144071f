import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { startSync } from '../../services/start-sync.js';
import { syncProgressQuery, type SyncAllResult } from '../../workflows/sync.js';
import { EXIT, printJson, progressBar, table } from '../output.js';
import { withContext } from '../run.js';

export function registerSync(program: Command) {
  program
    .command('sync')
    .description('sync campaigns and daily metrics from the ad platforms (a SyncAllWorkflow in Temporal)')
    .option('--account <id...>', 'only these platform account ids (see `mbo status --json`)')
    .option('--from <date>', 'first day, YYYY-MM-DD (with --to; default: since the last sync)')
    .option('--to <date>', 'last day, YYYY-MM-DD')
    .option('--wait', 'wait for the sync to finish, with a progress bar')
    .option('--json', 'machine-readable output')
    .option('--workspace <slug>', 'workspace (default: MBO_WORKSPACE or "default")')
    .action((opts: { account?: string[]; from?: string; to?: string; wait?: boolean; json?: boolean; workspace?: string }) =>
      withContext(opts, async (ctx) => {
        const started = await startSync(ctx, { workspace: opts.workspace, accountIds: opts.account, range: { from: opts.from, to: opts.to } });
        if (!opts.json) {
          console.log(`Started sync ${started.workflowId}`);
          console.log(`Temporal UI: ${started.url}`);
        }
        if (!opts.wait) {
          if (opts.json) printJson({ workflowId: started.workflowId, runId: started.runId, url: started.url });
          return;
        }
        const tty = process.stderr.isTTY && !opts.json;
        const timer = setInterval(async () => {
          const p = await started.handle.query(syncProgressQuery).catch(() => undefined);
          if (!p || !tty) return;
          const done = p.filter((a) => a.state === 'succeeded' || a.state === 'failed').length;
          process.stderr.write(`\r${progressBar(done, p.length, 'accounts')}`);
        }, 300);
        let result: SyncAllResult;
        try {
          result = await started.handle.result();
        } catch (e) {
          throw new AppError('INTERNAL', `sync ${started.workflowId} failed: ${(e as Error).message}`);
        } finally {
          clearInterval(timer);
          if (tty) process.stderr.write('\r\x1b[K');
        }
        if (opts.json) printJson({ workflowId: started.workflowId, runId: started.runId, url: started.url, ...result });
        else {
          console.log(
            table(
              ['Platform', 'Account', 'State', 'Range', 'Rows changed', 'Error'],
              result.accounts.map((a) => [a.platform, a.name, a.state, a.range ? `${a.range.from}..${a.range.to}` : null, a.rows ?? null, a.error ?? '']),
              ['l', 'l', 'l', 'l', 'r', 'l'],
            ),
          );
        }
        if (result.failed) {
          process.stderr.write(`mbo: ${result.failed} of ${result.accounts.length} accounts failed to sync\n`);
          process.exitCode = EXIT.PARTIAL;
        }
      }),
    );
}
