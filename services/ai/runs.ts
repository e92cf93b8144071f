// Runs of the AI engine, stored with what was asked, the model, every tool call, the answer, tokens and cost
// (ai_run). `runAi` is what each AI use case does after its own role check and input parsing: record the run, let
// the engine work (streaming events to the caller), record the outcome — a failure too, with its reason.
import Anthropic from '@anthropic-ai/sdk';
import { AppError, isAppError } from '../../core/errors.js';
import { runTask, type AiTask, type EngineEvent } from '../../ai/engine.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { parseInput } from '../input.js';
import { after, pageOf } from '../paging.js';
import { aiRunIdSchema, listAiRunsSchema, type AiRunView } from './ai.schema.js';

export interface AiRunOptions {
  /** Text deltas and tool calls as they happen (the API streams them as server-sent events). */
  onEvent?(e: EngineEvent): void;
  signal?: AbortSignal;
}

type Row = Awaited<ReturnType<ServiceContext['app']['prisma']['aiRun']['findFirstOrThrow']>>;

function view(r: Row): AiRunView {
  return {
    id: r.id,
    task: r.task as AiRunView['task'],
    status: r.status as AiRunView['status'],
    requestedBy: r.requestedBy,
    model: r.model,
    answer: r.answer,
    turns: r.turns,
    usage: { inputTokens: r.inputTokens, outputTokens: r.outputTokens, cacheCreationTokens: r.cacheCreationTokens, cacheReadTokens: r.cacheReadTokens },
    costUsd: r.costUsd?.toFixed(9) ?? null,
    toolCalls: (r.toolCalls as { name: string; isError: boolean; ms: number }[]).map((c) => ({ name: c.name, isError: c.isError, ms: c.ms })),
    changeRequestIds: r.changeRequestIds,
    stopReason: r.stopReason,
    error: r.error,
    createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}

/** Claude's errors (after the SDK's retries) as MBO's: overloaded and rate limits are TRANSIENT, a bad key is config. */
function asAppError(e: unknown): AppError {
  if (isAppError(e)) return e;
  if (e instanceof Anthropic.APIError) {
    const s = e.status ?? 0;
    if (s === 401 || s === 403) return new AppError('CONFIG_INVALID', `Claude refused the API key (HTTP ${s}): check ANTHROPIC_API_KEY`);
    if (s === 429 || s === 529 || s >= 500 || !s)
      return new AppError('TRANSIENT', `Claude is busy or unreachable (HTTP ${s || 'no answer'}) after retries; try again shortly`);
    return new AppError('INTERNAL', `Claude refused the request (HTTP ${s}): ${e.message.slice(0, 300)}`);
  }
  return new AppError('INTERNAL', `the AI run failed: ${(e as Error).message?.slice(0, 300)}`);
}

export async function runAi(ctx: ServiceContext, task: AiTask, opts: AiRunOptions = {}): Promise<AiRunView> {
  const prisma = ctx.app.prisma;
  const run = await prisma.aiRun.create({
    data: {
      workspaceId: ctx.actor.workspaceId,
      requestedBy: ctx.actor.userId,
      task: task.kind,
      input: task.input,
      status: 'running',
      model: ctx.app.config.ai.apiKey ? ctx.app.config.ai.model : null,
    },
  });
  try {
    const r = await runTask(ctx, task, opts);
    return view(
      await prisma.aiRun.update({
        where: { id: run.id },
        data: {
          status: r.status,
          model: r.model,
          answer: r.answer,
          turns: r.turns,
          inputTokens: r.usage.inputTokens,
          outputTokens: r.usage.outputTokens,
          cacheCreationTokens: r.usage.cacheCreationTokens,
          cacheReadTokens: r.usage.cacheReadTokens,
          costUsd: r.costUsd,
          stopReason: r.stopReason,
          toolCalls: r.toolCalls.map((c) => ({ name: c.name, input: c.input, isError: c.isError, ms: c.ms })) as never,
          changeRequestIds: r.changeRequestIds,
          finishedAt: new Date(),
        },
      }),
    );
  } catch (e) {
    const err = asAppError(e);
    await prisma.aiRun.update({ where: { id: run.id }, data: { status: 'failed', error: err.message, finishedAt: new Date() } }).catch(() => {});
    throw err;
  }
}

export async function listAiRuns(ctx: ServiceContext, raw: unknown = {}): Promise<{ items: AiRunView[]; nextCursor: string | null }> {
  requireRole(ctx, 'viewer');
  const q = parseInput(listAiRunsSchema, raw);
  const rows = await ctx.app.prisma.aiRun.findMany({
    where: { workspaceId: ctx.actor.workspaceId, ...after('createdAt', q.cursor) },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: q.limit + 1,
  });
  const { page, nextCursor } = pageOf(rows, q.limit, (r) => r.createdAt);
  return { items: page.map(view), nextCursor };
}

export async function getAiRun(ctx: ServiceContext, raw: unknown): Promise<AiRunView> {
  requireRole(ctx, 'viewer');
  const { runId } = parseInput(aiRunIdSchema, raw);
  const r = await ctx.app.prisma.aiRun.findFirst({ where: { id: runId, workspaceId: ctx.actor.workspaceId } });
  if (!r) throw new AppError('NOT_FOUND', `no AI run ${runId} in "${ctx.actor.workspace}"`);
  return view(r);
}
