// A plan explained in plain language (services/ai explainOptimization, for an account run or a workspace plan):
// Claude's answer when ANTHROPIC_API_KEY is set, else MBO's own explanation — labelled which it is — or the
// button that asks for one (analysts and above; the use case checks the role again).
import { Form, useNavigation } from 'react-router';
import { when } from '../lib/format';
import { useSession } from '../lib/use-session';
import { Badge } from './ui/badge';
import { Button } from './ui/button';

export interface ExplanationView {
  id: string;
  status: string;
  model: string | null;
  answer: string | null;
  error: string | null;
  costUsd: string | null;
  tokens: number;
  createdAt: string;
}

/** The loader's part: an AI run (getAiRun) reduced to what the section shows, or null if it is not an explanation. */
export function explanationView(
  r: {
    id: string;
    task: string;
    status: string;
    model: string | null;
    answer: string | null;
    error: string | null;
    costUsd: string | null;
    usage: { inputTokens: number; outputTokens: number };
    createdAt: string;
  } | null,
): ExplanationView | null {
  if (!r || r.task !== 'explain') return null;
  return {
    id: r.id,
    status: r.status,
    model: r.model,
    answer: r.answer,
    error: r.error,
    costUsd: r.costUsd,
    tokens: r.usage.inputTokens + r.usage.outputTokens,
    createdAt: r.createdAt,
  };
}

export function Explanation({
  explanation,
  canAsk,
  target,
}: {
  explanation: ExplanationView | null;
  canAsk: boolean;
  target: { name: 'runId' | 'planId'; id: string };
}) {
  const nav = useNavigation();
  const { csrf } = useSession();
  const busy = nav.state !== 'idle';
  return (
    <section className="mt-3 rounded border border-slate-200 bg-slate-50 p-3" aria-labelledby="explanation-title" data-testid="explanation">
      <h3 id="explanation-title" className="text-sm font-semibold">
        Explanation{' '}
        {explanation ? (
          explanation.status === 'no_model' ? (
            <Badge tone="slate" data-testid="explanation-kind">
              MBO's own explanation (AI off: no ANTHROPIC_API_KEY)
            </Badge>
          ) : (
            <Badge tone="blue" data-testid="explanation-kind">
              AI explanation{explanation.model ? ` by ${explanation.model}` : ''}
            </Badge>
          )
        ) : null}
      </h3>
      {explanation ? (
        <>
          <p className="mt-2 text-sm whitespace-pre-wrap" data-testid="explanation-text">
            {explanation.answer ?? explanation.error ?? 'no answer'}
          </p>
          <p className="mt-1 text-xs text-slate-700">
            {when(explanation.createdAt)}
            {explanation.status === 'no_model'
              ? ' · set ANTHROPIC_API_KEY for Claude to explain and question the plan'
              : ` · ${explanation.tokens} tokens${explanation.costUsd ? `, ${Number(explanation.costUsd).toFixed(4)} USD` : ''}${explanation.status === 'turn_limit' ? ' · stopped at the turn limit' : ''}`}
          </p>
        </>
      ) : canAsk ? (
        <Form method="post" className="mt-2">
          <input type="hidden" name="csrf" value={csrf} />
          <input type="hidden" name={target.name} value={target.id} />
          <Button type="submit" name="intent" value="explain" variant="outline" disabled={busy}>
            {busy && nav.formData?.get('intent') === 'explain' ? 'Explaining…' : 'Explain this plan'}
          </Button>
          <span className="ml-2 text-xs text-slate-700">Claude when ANTHROPIC_API_KEY is set; otherwise the optimizer's own words.</span>
        </Form>
      ) : (
        <p className="mt-1 text-sm text-slate-700">Analysts and above can ask for an explanation of this plan.</p>
      )}
    </section>
  );
}
