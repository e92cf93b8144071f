// Budget allocation over arbitrary (also S-shaped) response curves. Each item's objective is tabulated on a
// grid of budgets within its bounds; a Lagrangian search over the upper concave envelopes finds the optimum of
// the relaxed problem (exact for concave curves, at most one item off the envelope otherwise), then a
// pairwise-exchange polish on the true tabulated values repairs what the envelope relaxed.
// Pure and deterministic; O(n·G·log) — fast enough for 100,000 items.

export interface AllocationItem {
  lo: number;
  hi: number;
  /** Ascending budgets from lo to hi (a single point when lo = hi). */
  budgets: Float64Array;
  /** Objective at each budget (higher is better); may decrease (e.g. profit past the optimum). */
  values: Float64Array;
}

export interface AllocationResult {
  budgets: Float64Array;
  total: number;
  /** Shadow price of the total budget: objective gained per extra unit of budget at the optimum. */
  lambda: number;
}

function upperHull(b: Float64Array, v: Float64Array): Int32Array {
  const hull: number[] = [];
  for (let i = 0; i < b.length; i++) {
    while (hull.length >= 2) {
      const o = hull[hull.length - 2]!;
      const a = hull[hull.length - 1]!;
      const cross = (b[a]! - b[o]!) * (v[i]! - v[o]!) - (v[a]! - v[o]!) * (b[i]! - b[o]!);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(i);
  }
  return Int32Array.from(hull);
}

interface Prepared {
  hull: Int32Array;
  slopes: Float64Array; // slope of hull segment j → j+1, decreasing
}

/** Index into the hull of the vertex chosen at price λ: move right while the next segment pays ≥ λ. */
function pick(p: Prepared, lambda: number): number {
  let lo = 0;
  let hi = p.slopes.length; // number of segments
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (p.slopes[mid]! > lambda) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function valueAt(item: AllocationItem, budget: number): number {
  const b = item.budgets;
  const v = item.values;
  if (b.length === 1 || budget <= b[0]!) return v[0]!;
  if (budget >= b[b.length - 1]!) return v[v.length - 1]!;
  let lo = 0;
  let hi = b.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (b[mid]! <= budget) lo = mid;
    else hi = mid;
  }
  const t = (budget - b[lo]!) / (b[hi]! - b[lo]!);
  return v[lo]! + t * (v[hi]! - v[lo]!);
}

/**
 * Exact-to-grid allocation by dynamic programming over `steps` units of the spare budget (every item starts at
 * its lower bound). Globally optimal for any curve shape on the grid; O(n·steps²), so used for small portfolios.
 */
function allocateDp(items: AllocationItem[], total: number, steps: number): Float64Array {
  const n = items.length;
  const spare = Math.max(0, total - items.reduce((a, it) => a + it.lo, 0));
  const unit = spare / steps || 1;
  let best = new Float64Array(steps + 1).fill(-Infinity);
  best[0] = 0;
  const choice: Int32Array[] = [];
  for (let i = 0; i < n; i++) {
    const it = items[i]!;
    const maxK = spare > 0 ? Math.min(steps, Math.floor((it.hi - it.lo) / unit + 1e-9)) : 0;
    const vals = Float64Array.from({ length: maxK + 1 }, (_, k) => valueAt(it, it.lo + k * unit));
    const next = new Float64Array(steps + 1).fill(-Infinity);
    const arg = new Int32Array(steps + 1).fill(-1);
    for (let used = 0; used <= steps; used++) {
      const base = best[used]!;
      if (base === -Infinity) continue;
      const lim = Math.min(maxK, steps - used);
      for (let k = 0; k <= lim; k++) {
        const v = base + vals[k]!;
        if (v > next[used + k]!) {
          next[used + k] = v;
          arg[used + k] = k;
        }
      }
    }
    choice.push(arg);
    best = next;
  }
  let end = 0;
  for (let u = 0; u <= steps; u++) if (best[u]! > best[end]!) end = u;
  const budgets = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    const k = Math.max(0, choice[i]![end]!);
    budgets[i] = items[i]!.lo + k * unit;
    end -= k;
  }
  return budgets;
}

export function allocate(items: AllocationItem[], total: number, opts: { polish?: boolean; exactUpTo?: number } = {}): AllocationResult {
  const n = items.length;
  if (n > 0 && n <= (opts.exactUpTo ?? 80)) {
    const budgets = allocateDp(items, total, 600);
    if (opts.polish ?? true) polish(items, budgets, total);
    return { budgets, total: budgets.reduce((a, b) => a + b, 0), lambda: shadowPrice(items, budgets) };
  }
  const prepared: Prepared[] = items.map((it) => {
    const hull = upperHull(it.budgets, it.values);
    const slopes = new Float64Array(Math.max(0, hull.length - 1));
    for (let j = 0; j + 1 < hull.length; j++) {
      const a = hull[j]!;
      const c = hull[j + 1]!;
      slopes[j] = (it.values[c]! - it.values[a]!) / (it.budgets[c]! - it.budgets[a]!);
    }
    return { hull, slopes };
  });
  const spendAt = (lambda: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += items[i]!.budgets[prepared[i]!.hull[pick(prepared[i]!, lambda)]!]!;
    return s;
  };
  const budgets = new Float64Array(n);
  let lambda = 0;
  if (spendAt(0) > total) {
    let lo = 0;
    let hi = 0;
    for (const p of prepared) for (const s of p.slopes) hi = Math.max(hi, s);
    hi = hi * 1.01 + 1e-12;
    for (let iter = 0; iter < 100; iter++) {
      const mid = (lo + hi) / 2;
      if (spendAt(mid) > total) lo = mid;
      else hi = mid;
      if (hi - lo <= 1e-12 * Math.max(1, hi)) break;
    }
    lambda = hi;
  }
  for (let i = 0; i < n; i++) budgets[i] = items[i]!.budgets[prepared[i]!.hull[pick(prepared[i]!, lambda)]!]!;
  // Fill what is left along the segments that pay best next (ties at λ, partial moves allowed).
  let left = total - budgets.reduce((a, b) => a + b, 0);
  if (left > 1e-9 && lambda > 0) {
    const next = prepared
      .map((p, i) => ({ i, j: pick(p, lambda) }))
      .filter(({ i, j }) => j < prepared[i]!.slopes.length && prepared[i]!.slopes[j]! > 0)
      .sort((a, b) => prepared[b.i]!.slopes[b.j]! - prepared[a.i]!.slopes[a.j]!);
    for (const { i, j } of next) {
      if (left <= 1e-9) break;
      const to = items[i]!.budgets[prepared[i]!.hull[j + 1]!]!;
      const move = Math.min(left, to - budgets[i]!);
      budgets[i] = budgets[i]! + move;
      left -= move;
    }
  }
  if (opts.polish ?? n <= 5000) polish(items, budgets, total);
  return { budgets, total: budgets.reduce((a, b) => a + b, 0), lambda };
}

/** The objective gained per extra unit of budget at the plan: the best marginal among items that can grow. */
function shadowPrice(items: AllocationItem[], budgets: Float64Array): number {
  let best = 0;
  items.forEach((it, i) => {
    const b = budgets[i]!;
    const h = Math.max((it.hi - it.lo) / 200, 1e-6);
    if (b + h <= it.hi) best = Math.max(best, (valueAt(it, b + h) - valueAt(it, b)) / h);
  });
  return best;
}

/** Pairwise exchange of budget between items, on the true tabulated values, with shrinking steps. */
function polish(items: AllocationItem[], budgets: Float64Array, total: number): void {
  const n = items.length;
  if (!n) return;
  const span = items.reduce((m, it) => Math.max(m, it.hi - it.lo), 0);
  let step = span / 8;
  const minStep = Math.max(span * 1e-4, 1e-6);
  let guard = 0;
  while (step >= minStep && guard++ < 20_000) {
    let bestGain = -Infinity;
    let gi = -1;
    let bestLoss = Infinity;
    let li = -1;
    let spent = 0;
    for (let i = 0; i < n; i++) {
      const it = items[i]!;
      const b = budgets[i]!;
      spent += b;
      const v = valueAt(it, b);
      if (b + step <= it.hi + 1e-9) {
        const g = valueAt(it, Math.min(it.hi, b + step)) - v;
        if (g > bestGain) {
          bestGain = g;
          gi = i;
        }
      }
      if (b - step >= it.lo - 1e-9) {
        const l = v - valueAt(it, Math.max(it.lo, b - step));
        if (l < bestLoss) {
          bestLoss = l;
          li = i;
        }
      }
    }
    const room = total - spent;
    const eps = 1e-12 * (Math.abs(bestGain) + Math.abs(bestLoss) + 1);
    if (li >= 0 && bestLoss < -eps) {
      budgets[li] = Math.max(items[li]!.lo, budgets[li]! - step); // giving budget back improves the objective
    } else if (gi >= 0 && room >= step - 1e-9 && bestGain > eps) {
      budgets[gi] = Math.min(items[gi]!.hi, budgets[gi]! + step);
    } else if (gi >= 0 && li >= 0 && gi !== li && bestGain > bestLoss + eps) {
      const d = Math.min(step, items[gi]!.hi - budgets[gi]!, budgets[li]! - items[li]!.lo);
      budgets[gi] = budgets[gi]! + d;
      budgets[li] = budgets[li]! - d;
    } else step /= 2;
  }
}
