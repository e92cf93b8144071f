// Without ANTHROPIC_API_KEY the engine says so and answers with MBO's own words: the optimizer's plan and its
// reasons per campaign (run_optimization as a dry run, then explain_recommendation — or explain_recommendation on a
// stored run or workspace plan), or for a workspace overview the per-platform totals and the anomalies — through the same MCP tools and role checks as the agent.
import type { AiTask } from './engine.js';
import type { ToolHost, ToolOutcome } from './tool-host.js';

export const NO_MODEL_NOTE = 'AI explanations are off: ANTHROPIC_API_KEY is not set. Here is what MBO itself says.';

type Json = Record<string, unknown>;
const failed = (o: ToolOutcome) => `${o.name} failed: ${o.text.replace(/<\/?tool_output[^>]*>/g, '').trim()}`;

/** A run's or a workspace plan's recommendations, as explain_recommendation words them (moves first for a plan). */
async function explain(host: ToolHost, target: { runId: string } | { planId: string }): Promise<string[]> {
  const ex = await host.call('explain_recommendation', target);
  if (ex.isError || !ex.structured) return [failed(ex)];
  const s = ex.structured as {
    kind: 'run' | 'plan';
    summary: string;
    recommendations: { change: string; explanation: string }[];
    changeRequests: { account: string; platform: string; moves: number; requestId: string | null; status: string | null }[];
    warnings: string[];
  };
  const recs = s.kind === 'plan' ? s.recommendations.filter((r) => r.change !== 'hold') : s.recommendations;
  const held = s.recommendations.length - recs.length;
  const requests = s.changeRequests.filter((r) => r.requestId);
  return [
    s.summary,
    ...recs.map((r) => `- ${r.explanation}`),
    ...(held ? [`- ${held} other campaign budget(s) stay as they are.`] : []),
    ...(requests.length
      ? [
          'Change requests (each waits for an approver):',
          ...requests.map((r) => `- ${r.account} (${r.platform}): ${r.moves} move(s), ${r.requestId} ${r.status?.toLowerCase() ?? ''}`.trimEnd()),
        ]
      : []),
    ...(s.warnings.length ? ['Warnings:', ...s.warnings.map((w) => `- ${w}`)] : []),
  ];
}

async function plan(host: ToolHost, args: Json): Promise<string[]> {
  const run = await host.call('run_optimization', { ...args, dryRun: true, sync: false });
  if (run.isError || !run.structured) return [failed(run)];
  return explain(host, { runId: (run.structured as { runId: string }).runId });
}

async function anomalies(host: ToolHost): Promise<string[]> {
  const a = await host.call('list_anomalies', { limit: 10 });
  const items = ((a.structured as { items?: { severity: string; message: string }[] } | undefined)?.items ?? []).slice(0, 10);
  return items.length ? ['Recent anomalies (check tracking before trusting these days):', ...items.map((i) => `- [${i.severity}] ${i.message}`)] : [];
}

export async function fallbackAnswer(host: ToolHost, t: AiTask): Promise<string> {
  const i = t.input;
  const lines: string[] = [NO_MODEL_NOTE, ''];
  if (t.kind === 'explain') lines.push(...(await explain(host, i.planId ? { planId: i.planId } : { runId: i.runId! })));
  else if (t.kind === 'analyze' && !i.account) {
    const p = await host.call('get_performance', { ...(i.from ? { from: i.from } : {}), ...(i.to ? { to: i.to } : {}) });
    if (p.isError || !p.structured) lines.push(failed(p));
    else {
      const s = p.structured as { from: string; to: string; platforms: Json[] };
      lines.push(`Performance ${s.from} to ${s.to}:`);
      for (const x of s.platforms) lines.push(`- ${JSON.stringify(x)}`);
    }
  } else
    lines.push(
      ...(await plan(host, {
        account: i.account,
        ...(i.objective ? { objective: i.objective } : {}),
        ...(i.totalBudget ? { totalBudget: i.totalBudget } : {}),
      })),
    );
  const extra = await anomalies(host);
  if (extra.length) lines.push('', ...extra);
  return lines.join('\n');
}
