// PM2 process file (the seed's process model): the API (which also serves the web app), the worker(s) and the MCP
// servers' process, each restarted on failure with a back-off. Postgres and Temporal are not PM2's: the embedded
// defaults are started by `mbo up --no-worker --no-api --no-mcp` (scripts/start-all.sh does it), a configured
// cluster is already there. Every process reads its settings through lib/config.ts (the environment, then `.env`).
// Use: bash scripts/start-all.sh | bash scripts/stop-all.sh | bash scripts/healthcheck.sh
// MBO_WORKERS=N runs N workers (they share the task queues; Temporal spreads the work).
const path = require('node:path');

const root = __dirname;
const home = process.env.MBO_HOME || path.join(root, '.mbo');
const workers = Math.max(1, Number(process.env.MBO_WORKERS || 1));

/** A TypeScript entry run by Node with tsx (as `mbo up` runs it), logs under MBO_HOME/logs. */
const app = (name, script, extra = {}) => ({
  name,
  script: path.join(root, script),
  interpreter: process.execPath,
  node_args: ['--import', 'tsx'],
  cwd: root,
  env: { MBO_HOME: home, NODE_ENV: process.env.NODE_ENV || 'production' },
  out_file: path.join(home, 'logs', `${name}.pm2.log`),
  error_file: path.join(home, 'logs', `${name}.pm2.log`),
  merge_logs: true,
  autorestart: true,
  exp_backoff_restart_delay: 200,
  max_restarts: 50,
  kill_timeout: 30_000, // a worker finishes its in-flight activities on SIGINT/SIGTERM
  ...extra,
});

module.exports = {
  apps: [
    app('mbo-api', 'api/main.ts'),
    app('mbo-worker', 'workers/main.ts', {
      instances: workers,
      exec_mode: 'fork',
      // Each instance its own metrics port (9464, 9465, …) so two workers on one host do not collide.
      increment_var: 'MBO_WORKER_METRICS_PORT',
      env: { MBO_HOME: home, NODE_ENV: process.env.NODE_ENV || 'production', MBO_WORKER_METRICS_PORT: process.env.MBO_WORKER_METRICS_PORT || '9464' },
    }),
    app('mbo-mcp', 'mcp-servers/main.ts'),
  ],
};
