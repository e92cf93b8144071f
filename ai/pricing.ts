// What a run costs, exactly: Anthropic's list prices per million tokens (input, output; a 5-minute cache write is
// 1.25× input, a cache read 0.1× input), kept as integer micro-dollars per million tokens, so tokens × price is an
// integer number of pico-dollars — no float touches money. Rounded half-up to nano-dollars (the ai_run column).
// A model MBO has no price for gets no cost (null) rather than a guess.

/** µ$ per million tokens. */
interface Price {
  input: bigint;
  output: bigint;
}

const $ = (dollars: number) => BigInt(Math.round(dollars * 1_000_000));

/** Longest prefix wins (claude-opus-4-1 before claude-opus-4). */
const PRICES: [prefix: string, price: Price][] = [
  ['claude-opus-4-1', { input: $(15), output: $(75) }],
  ['claude-opus-4-0', { input: $(15), output: $(75) }],
  ['claude-opus-4-2025', { input: $(15), output: $(75) }],
  ['claude-opus-4', { input: $(5), output: $(25) }], // 4.5 and later
  ['claude-sonnet-4', { input: $(3), output: $(15) }],
  ['claude-3-7-sonnet', { input: $(3), output: $(15) }],
  ['claude-haiku-4', { input: $(1), output: $(5) }],
  ['claude-3-5-haiku', { input: $(0.8), output: $(4) }],
  ['claude-3-haiku', { input: $(0.25), output: $(1.25) }],
];

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
}

export function priceOf(model: string): Price | undefined {
  return [...PRICES].sort((a, b) => b[0].length - a[0].length).find(([p]) => model.startsWith(p))?.[1];
}

/** The cost in US dollars as a decimal string with 9 decimals, or null for a model without a known price. */
export function costUsd(model: string, u: Usage): string | null {
  const p = priceOf(model);
  if (!p) return null;
  const pico =
    BigInt(u.inputTokens) * p.input +
    BigInt(u.outputTokens) * p.output +
    (BigInt(u.cacheCreationTokens) * p.input * 125n) / 100n +
    (BigInt(u.cacheReadTokens) * p.input) / 10n;
  const nano = (pico + 500n) / 1000n;
  return `${nano / 1_000_000_000n}.${(nano % 1_000_000_000n).toString().padStart(9, '0')}`;
}

export const addUsage = (a: Usage, b: Partial<Usage>): Usage => ({
  inputTokens: a.inputTokens + (b.inputTokens ?? 0),
  outputTokens: a.outputTokens + (b.outputTokens ?? 0),
  cacheCreationTokens: a.cacheCreationTokens + (b.cacheCreationTokens ?? 0),
  cacheReadTokens: a.cacheReadTokens + (b.cacheReadTokens ?? 0),
});

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cacheCreationTokens: 0, cacheReadTokens: 0 };
