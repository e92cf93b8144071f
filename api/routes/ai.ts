// /api/v1/ai: the AI engine — analyze performance, recommend an allocation, predict the return at a budget, explain
// an optimization run (analysts), and the stored runs with tokens and cost (any member). JSON by default; with
// `Accept: text/event-stream` the answer streams as server-sent events: `text` (a piece of the answer as Claude
// writes it), `tool` / `tool_result` (each MCP tool call), then `done` (the stored run) or `error` (a problem).
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import {
  aiRunIdSchema,
  aiRunView,
  analyzePerformanceSchema,
  explainOptimizationSchema,
  listAiRunsSchema,
  predictRoiSchema,
  recommendBudgetAllocationSchema,
} from '../../services/ai/ai.schema.js';
import { analyzePerformance } from '../../services/ai/analyze-performance.js';
import { explainOptimization } from '../../services/ai/explain-optimization.js';
import { predictRoi } from '../../services/ai/predict-roi.js';
import { recommendBudgetAllocation } from '../../services/ai/recommend-budget-allocation.js';
import { getAiRun, listAiRuns, type AiRunOptions } from '../../services/ai/runs.js';
import type { ServiceContext } from '../../services/actor.js';
import type { AppContext } from '../../services/context.js';
import { serviceContext } from '../auth.js';
import type { ApiApp, ApiEnv } from '../env.js';
import { body, json, page, route } from '../openapi.js';
import { toAppError, HTTP_STATUS } from '../problem.js';

const tags = ['AI'];
const STREAM = 'With `Accept: text/event-stream`: events text, tool, tool_result, then done (the run) or error.';
const answer = {
  200: {
    description: 'The stored run (JSON), or its events (text/event-stream)',
    content: { 'application/json': { schema: aiRunView }, 'text/event-stream': { schema: z.string() } },
  },
};

const task = <S extends z.ZodType>(path: string, summary: string, schema: S) =>
  route({ method: 'post', path, tags, summary, description: STREAM, request: body(schema), responses: answer, errors: [404, 503] });

export const analyze = task('/ai/analyze', "Claude analyzes performance through MBO's tools (analyst)", analyzePerformanceSchema);
export const recommend = task(
  '/ai/recommend',
  'The optimizer plans an allocation, Claude explains and questions it (analyst)',
  recommendBudgetAllocationSchema,
);
export const predict = task('/ai/predict', 'The expected return at a total daily budget, explained (analyst)', predictRoiSchema);
export const explain = task('/ai/explain', 'An optimization run or a workspace plan explained in plain language (analyst)', explainOptimizationSchema);
export const runs = route({
  method: 'get',
  path: '/ai/runs',
  tags,
  summary: 'AI runs, newest first, with tokens and cost',
  request: { query: listAiRunsSchema },
  responses: { 200: json(page(aiRunView), 'A page of runs') },
});
export const run = route({
  method: 'get',
  path: '/ai/runs/{runId}',
  tags,
  summary: 'One AI run',
  request: { params: aiRunIdSchema },
  responses: { 200: json(aiRunView, 'The run') },
  errors: [404],
});

type UseCase = (ctx: ServiceContext, raw: unknown, opts?: AiRunOptions) => Promise<z.infer<typeof aiRunView>>;

/** JSON, or the run's events as they happen. */
function answerWith(c: Context<ApiEnv>, ctx: ServiceContext, useCase: UseCase, input: unknown): Response | Promise<Response> {
  if (!/text\/event-stream/.test(c.req.header('accept') ?? '')) return useCase(ctx, input).then((r) => c.json(r, 200));
  return streamSSE(c, async (stream) => {
    const abort = new AbortController();
    stream.onAbort(() => abort.abort());
    let chain = Promise.resolve();
    const send = (event: string, data: unknown) => (chain = chain.then(() => stream.writeSSE({ event, data: JSON.stringify(data) })));
    try {
      const r = await useCase(ctx, input, {
        signal: abort.signal,
        onEvent: (e) => {
          if (e.type === 'text') void send('text', { text: e.text });
          else if (e.type === 'tool') void send('tool', { name: e.name });
          else if (e.type === 'tool_result') void send('tool_result', { name: e.name, isError: e.isError });
        },
      });
      await send('done', r);
    } catch (e) {
      const err = toAppError(e);
      await send('error', { status: HTTP_STATUS[err.code], code: err.code, detail: err.message });
    }
  });
}

export function registerAi(api: ApiApp, app: AppContext) {
  api.openapi(analyze, (c) => answerWith(c, serviceContext(app, c), analyzePerformance, c.req.valid('json')) as never);
  api.openapi(recommend, (c) => answerWith(c, serviceContext(app, c), recommendBudgetAllocation, c.req.valid('json')) as never);
  api.openapi(predict, (c) => answerWith(c, serviceContext(app, c), predictRoi, c.req.valid('json')) as never);
  api.openapi(explain, (c) => answerWith(c, serviceContext(app, c), explainOptimization, c.req.valid('json')) as never);
  api.openapi(runs, async (c) => c.json(await listAiRuns(serviceContext(app, c), c.req.valid('query')), 200));
  api.openapi(run, async (c) => c.json(await getAiRun(serviceContext(app, c), c.req.valid('param')), 200));
}
