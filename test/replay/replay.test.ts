// Safe deploys of workflow code: recorded histories of every workflow type (test/replay/histories, recorded from
// real runs by `npm run replay:record`, including histories recorded by older code) replayed against today's
// workflow code. A change that alters what a running workflow would do at a step it already recorded fails here
// (non-determinism) before it is deployed; such a change needs `patched()` (README, "Changing a workflow safely").
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import protos from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import * as workflows from '../../workflows/index.js';
import { bundlerOptions, WORKFLOWS_PATH } from '../../workers/create-worker.js';

const { temporal } = protos; // CommonJS: its names come through the default export
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch (e) {
  if ((e as Error).name !== 'IllegalStateError') throw e;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, 'histories');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const typeOf = (history: protos.temporal.api.history.v1.IHistory) => history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowType?.name ?? '?';
/**
 * The id the workflow ran under, where its commands depend on it: children are started as `<own id>/<suffix>`
 * (syncs, optimizations), so a child's id gives it back. Other workflows replay under any id.
 */
const workflowIdOf = (history: protos.temporal.api.history.v1.IHistory) => {
  const child = history.events?.find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId?.includes('/'));
  const id = child?.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
  return id ? id.slice(0, id.lastIndexOf('/')) : undefined;
};
const recorded = files.map((f) => {
  // Written by record.ts as protobuf.js's plain object; fromObject gives back the exact History.
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(dir, f), 'utf8')));
  return { file: f, type: typeOf(history), history, workflowId: workflowIdOf(history) ?? f };
});

/**
 * Workflow types added while this test was written, whose scenarios record.ts does not run yet (their owners add
 * one and record; then the type leaves this list). Any other type without a history fails the test.
 */
const AWAITING_SCENARIO: string[] = [];

async function replay(workflowsPath: string, histories: typeof recorded) {
  const failures: string[] = [];
  const results = Worker.runReplayHistories(
    { workflowsPath, bundlerOptions, replayName: 'mbo-replay-test' },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  for await (const r of results) if (r.error) failures.push(`${r.workflowId}: ${r.error.name}: ${(r.error.message ?? '').split('\n')[0]!.slice(0, 400)}`);
  return failures;
}

describe('workflow replay (safe deploys)', () => {
  it('has recorded histories of every workflow type the worker registers', () => {
    const types = Object.keys(workflows).filter((k) => typeof (workflows as Record<string, unknown>)[k] === 'function');
    const missing = types.filter((t) => !recorded.some((r) => r.type === t) && !AWAITING_SCENARIO.includes(t));
    expect(missing, `no recorded history for ${missing.join(', ')}: add a scenario to test/replay/record.ts, run \`npm run replay:record\``).toEqual([]);
  });

  it('replays every recorded history against today’s workflow code without non-determinism', async () => {
    expect(recorded.length).toBeGreaterThan(0);
    expect(await replay(WORKFLOWS_PATH, recorded)).toEqual([]);
  }, 120_000);

  it('fails a workflow change that alters recorded steps without patching', async () => {
    const budget = recorded.filter((r) => r.type === 'BudgetChangeWorkflow');
    const failures = await replay(path.join(here, 'changed-workflows.ts'), budget);
    expect(failures).toHaveLength(budget.length);
    expect(failures[0]).toMatch(/DeterminismViolation|Nondeterminism|nondeterministic/i);
  }, 120_000);
});
