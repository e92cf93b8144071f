// The fingerprint of a change request's content: sha-256 over its items (campaign, kind, from, to — and a bid item's
// target kind, from and to — in order) and
// the guardrail policy it was evaluated under, in one canonical form. Recorded at evaluation, shown to the approver,
// bound to the decision and checked again before anything is applied: what was approved is what is applied.
import { createHash } from 'node:crypto';
import { parseMoney } from './money.js';

export interface FingerprintItem {
  seq: number;
  campaignId: string;
  kind: string;
  fromBudget: string | { toString(): string };
  toBudget?: string | { toString(): string } | null;
  /** kind = bid only (absent for other kinds, so their fingerprints are what they always were). */
  bidKind?: string | null;
  fromBid?: string | { toString(): string } | null;
  toBid?: string | { toString(): string } | null;
}

/** JSON with object keys sorted at every level (the same value always gives the same text). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
}

// Amounts as exact micros, so "880", "880.00" and "880.000000" are the same content.
const micros = (x: string | { toString(): string } | null | undefined) => (x == null ? null : parseMoney(String(x)).toString());

export function changeFingerprint(requestId: string, items: FingerprintItem[], policy: unknown): string {
  const canonical = canonicalJson({
    requestId,
    items: [...items]
      .sort((a, b) => a.seq - b.seq)
      .map((i) => ({
        seq: i.seq,
        campaign: i.campaignId,
        kind: i.kind,
        from: micros(i.fromBudget),
        to: micros(i.toBudget),
        ...(i.kind === 'bid' ? { bid: { kind: i.bidKind ?? null, from: micros(i.fromBid), to: micros(i.toBid) } } : {}),
      })),
    policy,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
