// `mbo ai …`: the AI engine over the HTTP API — analyze performance, recommend an allocation (optionally proposing
// change requests that wait for a human), predict the return at a budget, explain an optimization run or a workspace
// plan, list runs. The answer streams as Claude writes it (server-sent events from /api/v1/ai/*); tool calls and the
// run's tokens and cost go to stderr. --json waits and prints the stored run. Without ANTHROPIC_API_KEY on the API's side the
// answer is the optimizer's own explanation (and says so).
import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { safeText } from '../../core/text.js';
import {
  analyzePerformanceSchema,
  explainOptimizationSchema,
  ONE_EXPLAIN_TARGET,
  predictRoiSchema,
  recommendBudgetAllocationSchema,
  type AiRunView,
} from '../../services/ai/ai.schema.js';
import { problemError, type ApiClient } from '../api-client.js';
import { examples } from '../help.js';
import { fail, printJson, say } from '../output.js';
import { resolveIds } from '../resolve.js';
import { validate, withApi } from '../run.js';

interface Common {
  json?: boolean;
  question?: string;
}

const err = (s: string) => process.stderr.write(safeText(s, { keepNewlines: true }));

/** POSTs a task and prints the answer as it streams; returns the stored run. */
async function stream(api: ApiClient, path: string, body: unknown): Promise<AiRunView> {
  const key = Reflect.get(api, 'key') as string | undefined; // the client's own key (set by withApi)
  const res = await fetch(`${api.baseUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify(body),
  }).catch((e) => {
    throw new AppError(
      'STACK_NOT_RUNNING',
      `the MBO API at ${api.baseUrl} is not reachable (${(e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message})`,
    );
  });
  if (!res.ok || !res.body) throw problemError(res.status, await res.text());
  let buffer = '';
  let done: AiRunView | undefined;
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let cut: number;
    while ((cut = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const d = JSON.parse(data);
      if (event === 'text') process.stdout.write(safeText(d.text, { keepNewlines: true }));
      else if (event === 'tool') err(`\n  → ${d.name}\n`);
      else if (event === 'done') done = d;
      else if (event === 'error') throw new AppError(d.code, d.detail);
    }
  }
  if (!done) throw new AppError('TRANSIENT', 'the answer stopped before it was complete; `mbo ai runs` shows what was stored');
  process.stdout.write('\n');
  return done;
}

function footer(r: AiRunView) {
  const u = r.usage;
  const parts = [
    r.model ? `model ${r.model}` : 'no model (ANTHROPIC_API_KEY not set on the API)',
    `${r.turns} turn(s)`,
    `${u.inputTokens} in / ${u.outputTokens} out tokens${u.cacheReadTokens || u.cacheCreationTokens ? ` (cache ${u.cacheCreationTokens} written, ${u.cacheReadTokens} read)` : ''}`,
    r.costUsd ? `$${r.costUsd}` : null,
    r.changeRequestIds.length ? `change requests opened (each waits for an approver): ${r.changeRequestIds.join(', ')}` : null,
    r.status === 'turn_limit' ? 'stopped at the turn limit' : null,
    `run ${r.id}`,
  ].filter(Boolean);
  err(`\n${parts.join(' · ')}\n`);
}

async function run(api: ApiClient, path: string, body: unknown, json?: boolean) {
  if (json) return printJson(await api.call<AiRunView>('POST', path, { body }));
  footer(await stream(api, path, body));
}

/**
 * An optimization run or a workspace plan explained (POST /ai/explain), as `mbo ai explain` prints it: streamed with
 * the footer on stderr — or, with json, only returned (the caller prints it). `mbo optimize --explain` reuses it.
 */
export async function explainAnswer(api: ApiClient, body: { runId?: string; planId?: string; question?: string }, json?: boolean): Promise<AiRunView> {
  if (json) return api.call<AiRunView>('POST', '/ai/explain', { body });
  const r = await stream(api, '/ai/explain', body);
  footer(r);
  return r;
}

export function registerAi(program: Command) {
  const ai = program.command('ai').description('Claude reads MBO through its own tools: the optimizer does the arithmetic, Claude explains and questions it');
  examples(
    ai
      .command('analyze')
      .description('analyze performance (the workspace, or one account): what works, what does not, what to doubt')
      .option('--account <account>', 'one ad account (MBO id or platform id)')
      .option('--from <date>', 'first day (YYYY-MM-DD)')
      .option('--to <date>', 'last day (YYYY-MM-DD)')
      .option('--question <text>', 'what you want to know')
      .option('--json', 'machine-readable output (waits for the whole answer)')
      .action((o: Common & { account?: string; from?: string; to?: string }) => {
        const body = validate(
          analyzePerformanceSchema,
          { account: o.account, from: o.from, to: o.to, question: o.question },
          { account: '--account', from: '--from', to: '--to', question: '--question' },
          o.json,
        );
        return withApi(o, ({ api }) => run(api, '/ai/analyze', body, o.json));
      }),
    ['mbo ai analyze', 'mbo ai analyze --account 1234567890 --question "why did ROAS drop last week?"'],
  );
  examples(
    ai
      .command('recommend')
      .description('the optimizer plans an allocation for an account; Claude explains and questions it')
      .requiredOption('--account <account>', 'the ad account')
      .option('--objective <objective>', 'revenue | conversions | profit', 'revenue')
      .option('--total <amount>', 'total daily budget to plan')
      .option('--propose', 'let Claude open change requests for the moves it supports (each waits for an approver)')
      .option('--question <text>', 'what you want to know')
      .option('--json', 'machine-readable output')
      .action((o: Common & { account: string; objective: string; total?: string; propose?: boolean }) => {
        const body = validate(
          recommendBudgetAllocationSchema,
          { account: o.account, objective: o.objective, totalBudget: o.total, propose: !!o.propose, question: o.question },
          { account: '--account', objective: '--objective', totalBudget: '--total', question: '--question' },
          o.json,
        );
        return withApi(o, ({ api }) => run(api, '/ai/recommend', body, o.json));
      }),
    ['mbo ai recommend --account 1234567890', 'mbo ai recommend --account 1234567890 --total 900 --propose'],
  );
  examples(
    ai
      .command('predict')
      .description('the expected return of an account at a total daily budget, explained')
      .requiredOption('--account <account>', 'the ad account')
      .requiredOption('--total <amount>', 'the total daily budget')
      .option('--objective <objective>', 'revenue | conversions | profit', 'revenue')
      .option('--question <text>', 'what you want to know')
      .option('--json', 'machine-readable output')
      .action((o: Common & { account: string; total: string; objective: string }) => {
        const body = validate(
          predictRoiSchema,
          { account: o.account, totalBudget: o.total, objective: o.objective, question: o.question },
          { account: '--account', totalBudget: '--total', objective: '--objective', question: '--question' },
          o.json,
        );
        return withApi(o, ({ api }) => run(api, '/ai/predict', body, o.json));
      }),
    ['mbo ai predict --account 1234567890 --total 1200'],
  );
  examples(
    ai
      .command('explain [runId]')
      .description('an account’s optimization run, or with --plan a workspace plan, explained in plain language (what `mbo optimize --explain` shows)')
      .option('--plan <plan>', 'a workspace plan (`mbo optimize`, `mbo optimize runs`): its id or a unique prefix of it')
      .option('--question <text>', 'what you want to know')
      .option('--json', 'machine-readable output')
      .action((runId: string | undefined, o: Common & { plan?: string }) => {
        const names = { runId: '<runId>', planId: '--plan', question: '--question' };
        if ((runId === undefined) === (o.plan === undefined))
          fail(
            new AppError('INVALID_INPUT', `<runId> or --plan: ${ONE_EXPLAIN_TARGET}`, { fields: [{ path: 'planId', message: ONE_EXPLAIN_TARGET }] }),
            !!o.json,
          );
        if (runId !== undefined) {
          const body = validate(explainOptimizationSchema, { runId, question: o.question }, names, o.json);
          return withApi(o, ({ api }) => run(api, '/ai/explain', body, o.json));
        }
        return withApi(o, async ({ api }) => {
          // A plan may be named by a prefix, as `mbo optimize show` takes it.
          const [planId] = await resolveIds([o.plan!], 'optimization plan', (cursor) => api.optimizationPlans({ limit: 500, cursor }));
          const body = validate(explainOptimizationSchema, { planId, question: o.question }, names, o.json);
          return run(api, '/ai/explain', body, o.json);
        });
      }),
    ['mbo ai explain 3f2c…', 'mbo ai explain --plan 1c2d', 'mbo ai explain --plan 1c2d --question "why less for Meta?"'],
  );
  examples(
    ai
      .command('runs')
      .description('AI runs, newest first, with tokens and cost')
      .option('--limit <n>', 'how many', '20')
      .option('--json', 'machine-readable output')
      .action((o: { json?: boolean; limit: string }) =>
        withApi(o, async ({ api }) => {
          const page = await api.call<{ items: AiRunView[] }>('GET', '/ai/runs', { query: { limit: o.limit } });
          if (o.json) return printJson(page);
          for (const r of page.items)
            say(
              `${r.createdAt.slice(0, 16).replace('T', ' ')}  ${r.task.padEnd(9)} ${r.status.padEnd(10)} ${r.requestedBy.padEnd(14)} ${(r.model ?? '—').padEnd(20)} ${r.costUsd ? `$${r.costUsd}` : ''}  ${r.id}`,
            );
        }),
      ),
    ['mbo ai runs', 'mbo ai runs --json'],
  );
}
