// Loads the shared scorer (../shared/optimizer/score.mjs, beside the repository) so benchmarks judge plans
// exactly as the product is judged. The shared folder is read-only and not part of this repository.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../lib/config.js';

export const SHARED_OPTIMIZER = process.env.MBO_SHARED_OPTIMIZER ?? path.resolve(PROJECT_ROOT, '..', 'shared', 'optimizer');

type Budgets = Record<string, number>;
export interface Scorer {
  score(scenario: unknown, truth: unknown, budgets: Budgets): { captured: number | null; uplift: number; problems: string[] };
  parseResult(result: unknown): Budgets;
  referenceBudgets(scenario: unknown): Budgets;
}

export async function loadScorer(): Promise<Scorer> {
  const file = path.join(SHARED_OPTIMIZER, 'score.mjs');
  if (!existsSync(file)) throw new Error(`the shared scorer is not at ${file} (set MBO_SHARED_OPTIMIZER)`);
  return (await import(pathToFileURL(file).href)) as Scorer;
}
