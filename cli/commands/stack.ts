// `mbo up` / `mbo down` (the local stack: stack/stack.ts) and `mbo sandbox advance` (the simulated ad platform's
// clock, as the CLI's actor). `up` prints each step, what it waits for while it waits, the local people and where
// their keys are (a new web password once), and the URLs; on failure it has already stopped what it started.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../../lib/config.js';
import { advanceSandboxSchema } from '../../services/sandbox/sandbox.schema.js';
import { getStatus } from '../../services/status/get-status.js';
import { listSyncRuns, startSync } from '../../services/sync/sync.js';
import { shellQuoted, shown } from '../../stack/progress.js';
import { bringDownStack, bringUpStack, stopStarted, type StackProcess, type UpResult } from '../../stack/stack.js';
import { fail, printJson, printTable, say } from '../output.js';
import { num, validate, withApi } from '../run.js';

const step = (m: string) => say(`✓ ${m}`);
const note = (m: string) => say(`… ${m}`);

function loadOrFail(): Config {
  try {
    return loadConfig();
  } catch (e) {
    return fail(e, false);
  }
}

async function firstSyncAndStatus(up: UpResult): Promise<void> {
  const first = (await listSyncRuns(up.admin, { limit: 1 })).items.length === 0;
  const s = await startSync(up.admin, {});
  note(`${first ? 'first sync' : 'sync'} running: ${s.url}`);
  const r = await s.handle.result();
  step(`Sync: ${r.succeeded}/${r.accounts.length} accounts synced`);
  const status = await getStatus(up.admin);
  say('');
  printTable(
    ['Platform', 'Active', 'Day', 'Spend', 'Revenue'],
    status.map((p) => [p.platform, p.activeCampaigns, p.yesterday.date, p.yesterday.spend, p.yesterday.revenue]),
    ['l', 'r', 'l', 'r', 'r'],
  );
}

function printWelcome(config: Config, up: UpResult): void {
  const me = up.people.find((p) => p.role === 'admin') ?? up.people[0]!;
  const approver = up.people.find((p) => p.role === 'approver');
  say('\nMBO is up.');
  if (up.api) say(`  Web app      ${up.api.url}/   (the approval inbox: ${up.api.url}/approvals)`);
  if (up.api) say(`  API          ${up.api.url}/api/v1   docs ${up.api.docs}`);
  const mcp = Object.entries(up.mcp ?? {});
  if (mcp.length) say(`  MCP servers  ${mcp.map(([name, url]) => `${name} ${new URL(url).port}`).join(', ')}   (HTTP at /mcp; README "MCP servers")`);
  say(`  Temporal UI  ${config.temporal.uiUrl}/namespaces/${config.temporal.namespace}/workflows`);
  for (const p of up.people.filter((x) => x.password))
    say(
      `  Web password for ${p.userId}: ${p.password}   (shown this once, only its hash is kept; sign-in: POST ${up.api?.url ?? config.api.url}/api/v1/auth/login)`,
    );
  say(`  You act as ${me.userId} (${me.role}) through ${shown(me.keyFile)}.`);
  if (approver) {
    say(`  To act as a colleague, put their key in MBO_API_KEY — e.g. approve as ${approver.userId}:`);
    say(`    MBO_API_KEY=$(cat ${shellQuoted(shown(approver.keyFile))}) npx mbo approvals approve <request>`);
  }
  say('Next: `npx mbo status`, `npx mbo dashboard`, `npx mbo optimize`, `npx mbo sandbox advance --days 7`; stop with `npx mbo down`.');
}

export function registerStack(program: Command) {
  program
    .command('up')
    .description(
      'bring up Postgres, Temporal + UI, the worker, the API, sandbox data, the local people and their keys, the hourly sync schedule, and run a sync',
    )
    .option('--no-sync', 'skip the sync')
    .option('--no-worker', 'do not start a worker process (when workers run elsewhere, e.g. docker-compose)')
    .option('--no-api', 'do not start the API process')
    .option('--no-mcp', 'do not start the MCP servers process (when PM2 or compose runs it)')
    .action(async (opts: { sync: boolean; worker: boolean; api: boolean; mcp: boolean }) => {
      const config = loadOrFail();
      const started: StackProcess[] = [];
      // Ctrl-C midway: stop what this run started (the children run in their own sessions and would stay).
      let stopping: Promise<void> | undefined;
      const interrupted = () => {
        const had = started.length;
        stopping ??= stopStarted(config, started, note).finally(() => {
          process.stderr.write(had ? 'mbo: interrupted; what this run had started is stopped again\n' : 'mbo: interrupted; the stack keeps running\n');
          process.exit(130);
        });
      };
      process.once('SIGINT', interrupted);
      process.once('SIGTERM', interrupted);
      let up: UpResult;
      try {
        up = await bringUpStack(config, { step, note }, { worker: opts.worker, api: opts.api, mcp: opts.mcp, started });
      } catch (e) {
        if (stopping) return void (await stopping); // what failed is the interruption: its handler exits
        return fail(e, false);
      }
      started.length = 0; // up: an interruption from here on leaves the stack running
      try {
        if (opts.sync) await firstSyncAndStatus(up);
        printWelcome(config, up);
      } catch (e) {
        await up.ctx.close();
        return fail(e, false); // the stack is up; only the sync failed: keep it running
      }
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', interrupted);
      await up.ctx.close();
    });

  program
    .command('down')
    .description('stop the API, the worker, the Temporal dev server and the embedded Postgres started by `mbo up` (data is kept)')
    .action(async () => {
      try {
        if (!(await bringDownStack(loadConfig(), step))) say('MBO is not running.');
      } catch (e) {
        fail(e, false);
      }
    });

  const sandbox = program.command('sandbox').description('the simulated ad platform');
  sandbox
    .command('advance')
    .description('simulate the next N days from the budgets in force')
    .requiredOption('--days <n>', 'days to simulate')
    .option('--account <id>', 'only this sandbox account (e.g. sbx-meta)')
    .option('--json', 'machine-readable output')
    .action((opts: { days: string; account?: string; json?: boolean }) => {
      const input = validate(advanceSandboxSchema, { days: num(opts.days), account: opts.account }, { days: '--days', account: '--account' }, opts.json);
      return withApi(opts, async ({ api }) => {
        const { accounts: r } = await api.advanceSandbox(input);
        if (opts.json) return printJson({ accounts: r });
        printTable(
          ['Sandbox account', 'Simulated through'],
          r.map((a) => [a.accountId, a.today]),
          ['l', 'l'],
        );
        say('Run `npx mbo sync --wait` to pull the new days.');
      });
    });
}
