// Use case: answer an optimizer scenario (the shared format) offline — validate, fit, allocate, explain.
// Called by `mbo optimize --scenario` and the benchmark; the optimization workflow's activity will call it too.
import { optimize, type OptimizeOptions, type OptimizeResult } from '../core/optimizer/optimize.js';
import { parseScenario } from '../core/optimizer/scenario.js';

export function optimizeScenario(input: unknown, opts: OptimizeOptions = {}): OptimizeResult {
  return optimize(parseScenario(input), opts);
}
