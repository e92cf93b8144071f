// The AI engine: one task (analyze performance, recommend an allocation, predict the return at a budget, explain an
// optimization run or a workspace plan) as an agent over MBO's own MCP tools — or, without ANTHROPIC_API_KEY, the optimizer's own
// plain-language explanation through the same tools. The model is ANTHROPIC_MODEL, the turn limit
// MBO_AI_MAX_TURNS; 429/529 are retried by the SDK as retry-after says. Storage is the caller's (services/ai).
import Anthropic from '@anthropic-ai/sdk';
import type { ServiceContext } from '../services/actor.js';
import type { AiTaskKind } from '../services/ai/ai.schema.js';
import { runAgent, type AgentEvent } from './agent.js';
import { fallbackAnswer } from './fallback.js';
import { costUsd, NO_USAGE, type Usage } from './pricing.js';
import { question, systemPrompt } from './prompts.js';
import { openToolHost, type ToolOutcome } from './tool-host.js';

export interface AiTask {
  kind: AiTaskKind;
  input: {
    account?: string;
    from?: string;
    to?: string;
    objective?: string;
    totalBudget?: string;
    propose?: boolean;
    runId?: string;
    planId?: string;
    question?: string;
  };
}

export interface EngineResult {
  status: 'completed' | 'turn_limit' | 'no_model';
  answer: string;
  model: string | null;
  turns: number;
  usage: Usage;
  costUsd: string | null;
  stopReason: string | null;
  toolCalls: ToolOutcome[];
  changeRequestIds: string[];
}

export type EngineEvent = AgentEvent;

const v = (x: unknown) => JSON.stringify(x);

/** The task in words, with MBO's own values as JSON literals and the member's question delimited. */
export function taskPrompt(t: AiTask): string {
  const i = t.input;
  switch (t.kind) {
    case 'analyze':
      return (
        `Task: analyze the performance of ${i.account ? `the ad account ${v(i.account)}` : 'every ad platform of this workspace'}${i.from || i.to ? ` from ${i.from ?? 'the start'} to ${i.to ?? 'the latest synced day'}` : ''}. ` +
        `Use get_performance${i.account ? `, run_optimization with account ${v(i.account)} and explain_recommendation` : ''}, and list_anomalies. Say what works, what does not, and what you doubt in the data.` +
        question(i.question)
      );
    case 'recommend':
      return (
        `Task: recommend a daily budget allocation for the ad account ${v(i.account)} (objective ${v(i.objective ?? 'revenue')}${i.totalBudget ? `, total ${v(i.totalBudget)} a day` : ''}). ` +
        `Call run_optimization with exactly these values, then explain_recommendation with its runId, and list_anomalies. Explain the plan and question it.` +
        (i.propose ? ' Where you agree with a move, request it with request_budget_change (a human approves it).' : '') +
        question(i.question)
      );
    case 'predict':
      return (
        `Task: predict the return of the ad account ${v(i.account)} at a total daily budget of ${v(i.totalBudget)} (objective ${v(i.objective ?? 'revenue')}). ` +
        'Call run_optimization with that totalBudget, then explain_recommendation with its runId; report the expected objective per day with its interval and the uplift against today, and how much to trust it.' +
        question(i.question)
      );
    case 'explain':
      return i.planId
        ? `Task: explain the workspace-wide optimization plan ${v(i.planId)} to a marketer: call explain_recommendation with that planId and list_anomalies; explain how the budget moves between platforms and campaigns and why, what each account's change request carries, and question what deserves doubt.${question(i.question)}`
        : `Task: explain the optimization run ${v(i.runId)} to a marketer: call explain_recommendation with that runId and list_anomalies; explain why each budget moves and question what deserves doubt.${question(i.question)}`;
  }
}

export async function runTask(ctx: ServiceContext, task: AiTask, opts: { onEvent?(e: EngineEvent): void; signal?: AbortSignal } = {}): Promise<EngineResult> {
  const cfg = ctx.app.config.ai;
  const host = await openToolHost(ctx, { propose: task.kind === 'recommend' && task.input.propose === true });
  try {
    if (!cfg.apiKey) {
      const answer = await fallbackAnswer(host, task);
      opts.onEvent?.({ type: 'text', text: answer });
      return {
        status: 'no_model',
        answer,
        model: null,
        turns: 0,
        usage: NO_USAGE,
        costUsd: null,
        stopReason: null,
        toolCalls: host.calls,
        changeRequestIds: [],
      };
    }
    const client = new Anthropic({ apiKey: cfg.apiKey, baseURL: cfg.baseUrl, maxRetries: 4, timeout: 120_000 });
    const r = await runAgent({
      client,
      model: cfg.model,
      system: systemPrompt({ propose: task.input.propose === true, today: new Date().toISOString().slice(0, 10) }),
      prompt: taskPrompt(task),
      tools: host.tools,
      callTool: (name, input) => host.call(name, input),
      maxTurns: cfg.maxTurns,
      maxTokens: cfg.maxTokens,
      onEvent: opts.onEvent,
      signal: opts.signal,
    });
    const changeRequestIds = r.toolCalls
      .filter((c) => c.name === 'request_budget_change' && !c.isError && typeof c.structured?.requestId === 'string')
      .map((c) => c.structured!.requestId as string);
    const limited = r.stopReason === 'turn_limit';
    return {
      status: limited ? 'turn_limit' : 'completed',
      answer: limited ? `${r.text}${r.text ? '\n\n' : ''}(Stopped after ${r.turns} turns, the limit: the analysis may be incomplete.)` : r.text,
      model: r.model,
      turns: r.turns,
      usage: r.usage,
      costUsd: costUsd(r.model, r.usage),
      stopReason: r.stopReason,
      toolCalls: r.toolCalls,
      changeRequestIds,
    };
  } finally {
    await host.close();
  }
}
