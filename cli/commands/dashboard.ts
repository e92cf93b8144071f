// `mbo dashboard`: the live terminal dashboard (cli/dashboard/app.ts, Ink). Polls the API every --interval seconds
// until q; --once prints one frame and exits (for scripts and terminals without keys).
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { examples } from '../help.js';
import { num, withApi } from '../run.js';

export function registerDashboard(program: Command) {
  examples(
    program
      .command('dashboard')
      .description('live terminal dashboard: spend/ROAS per platform with sparklines, pending approvals, latest alerts, sync state')
      .option('--interval <seconds>', 'refresh every this many seconds', '5')
      .option('--once', 'draw one frame and exit (no keys)')
      .action((opts: { interval: string; once?: boolean }) =>
        withApi({}, async ({ api }) => {
          const seconds = num(opts.interval)!;
          if (!Number.isFinite(seconds) || seconds < 1 || seconds > 3600)
            throw new AppError('INVALID_INPUT', '--interval: seconds from 1 to 3600', { fields: [{ path: 'interval', message: 'seconds from 1 to 3600' }] });
          await api.me(); // a bad key or a stopped stack: the exit code before the screen is taken
          const once = !!opts.once || !process.stdin.isTTY; // no keyboard: one frame
          // Ink and React load only here: every other command starts without them.
          const [{ render }, { createElement }, { Dashboard }] = await Promise.all([import('ink'), import('react'), import('../dashboard/app.js')]);
          const app = render(createElement(Dashboard, { api, intervalMs: seconds * 1000, once }), { exitOnCtrlC: true, patchConsole: false });
          await app.waitUntilExit();
        }),
      ),
    ['mbo dashboard', 'mbo dashboard --interval 10', 'mbo dashboard --once'],
  );
}
