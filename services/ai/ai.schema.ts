// Schemas for the AI engine's use cases (browser-safe): analyze performance, recommend a budget allocation,
// predict the return at a budget, explain an optimization run or a workspace plan — and the stored run with its
// tokens and cost.
import { z } from 'zod';
import { accountRefSchema, budgetAmountSchema, dateSchema, idSchema, pageSchema } from '../common.schema.js';
import { objectiveSchema } from '../optimization/optimization.schema.js';

const questionSchema = z.string().trim().min(1).max(2000).optional().describe('what you want to know, in your words');

export const analyzePerformanceSchema = z.object({
  account: accountRefSchema.optional().describe('one ad account (default: every platform of the workspace)'),
  from: dateSchema.optional(),
  to: dateSchema.optional(),
  question: questionSchema,
});

export const recommendBudgetAllocationSchema = z.object({
  account: accountRefSchema,
  objective: objectiveSchema.default('revenue'),
  totalBudget: budgetAmountSchema.optional().describe("total daily budget to plan (default: today's total)"),
  propose: z.boolean().default(false).describe('let the AI open change requests for the moves it supports (each waits for a human approver)'),
  question: questionSchema,
});

export const predictRoiSchema = z.object({
  account: accountRefSchema,
  totalBudget: budgetAmountSchema.describe('the total daily budget to predict the return at'),
  objective: objectiveSchema.default('revenue'),
  question: questionSchema,
});

/** What to explain: an account's optimization run, or a workspace-wide plan (`mbo optimize`) — exactly one. */
export const explainTargetSchema = z.object({
  runId: idSchema.optional().describe("an account's optimization run (run_optimization returns it)"),
  planId: idSchema.optional().describe('a workspace-wide optimization plan (`mbo optimize`, POST /optimization-plans)'),
});
export const ONE_EXPLAIN_TARGET = 'give exactly one of runId (an account optimization run) or planId (a workspace plan)';
export const hasOneExplainTarget = (o: { runId?: string; planId?: string }) => (o.runId === undefined) !== (o.planId === undefined);

export const explainOptimizationSchema = explainTargetSchema
  .extend({ question: questionSchema })
  .refine(hasOneExplainTarget, { message: ONE_EXPLAIN_TARGET, path: ['planId'] })
  .describe('exactly one of runId and planId, and optionally a question');

export const AI_TASKS = ['analyze', 'recommend', 'predict', 'explain'] as const;
export type AiTaskKind = (typeof AI_TASKS)[number];

export const aiRunIdSchema = z.object({ runId: idSchema });
export const listAiRunsSchema = pageSchema;

export const AI_RUN_STATUSES = ['running', 'completed', 'turn_limit', 'no_model', 'failed'] as const;

export const aiRunView = z.object({
  id: z.string(),
  task: z.enum(AI_TASKS),
  status: z.enum(AI_RUN_STATUSES).describe('no_model: no ANTHROPIC_API_KEY, the answer is the optimizer’s own explanation'),
  requestedBy: z.string(),
  model: z.string().nullable(),
  answer: z.string().nullable(),
  turns: z.number(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cacheCreationTokens: z.number(), cacheReadTokens: z.number() }),
  costUsd: z.string().nullable().describe('exact, from the list price of the model (null: no price known, or no model used)'),
  toolCalls: z.array(z.object({ name: z.string(), isError: z.boolean(), ms: z.number() })),
  changeRequestIds: z.array(z.string()).describe('change requests the AI opened (each waits for a human approver)'),
  stopReason: z.string().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type AiRunView = z.infer<typeof aiRunView>;
