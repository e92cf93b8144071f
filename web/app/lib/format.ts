// Display helpers (browser-safe): money strings stay strings until shown; ratios and dates formatted one way.
export function money(v: string | number | null | undefined, currency?: string | null): string {
  if (v === null || v === undefined || v === '') return '—';
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n)) return String(v);
  const s = n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return currency ? `${s} ${currency}` : s;
}

export function ratio(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits);
}

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '—' : `${v >= 0 ? '+' : ''}${(v * 100).toFixed(digits)}%`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

export const PLATFORM_LABEL: Record<string, string> = { google_ads: 'Google Ads', meta: 'Meta', tiktok: 'TikTok', linkedin: 'LinkedIn' };
export const PLATFORM_COLOR: Record<string, string> = { google_ads: '#1d4ed8', meta: '#7c3aed', tiktok: '#be185d', linkedin: '#0f766e' };

export function statusTone(status: string): 'green' | 'amber' | 'red' | 'slate' | 'blue' {
  if (['APPLIED', 'APPROVED', 'OK', 'SUCCEEDED'].includes(status)) return 'green';
  if (['PENDING_APPROVAL', 'EVALUATING', 'APPLYING', 'NEEDS_REAPPROVAL'].includes(status)) return 'amber';
  if (['REJECTED', 'BLOCKED', 'FAILED', 'ROLLED_BACK', 'PARTIALLY_APPLIED'].includes(status)) return 'red';
  return 'slate';
}

/** An exact decimal amount ("123.45") times a whole percentage, to the cent (rounded half up), as a string. */
export function scaleMoney(amount: string, percent: number): string {
  const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(amount.trim());
  if (!m) throw new Error(`not an amount: ${amount}`);
  const micros = BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? '').padEnd(6, '0'));
  const scaled = micros * BigInt(Math.round(percent)); // micros × percent = 100 × (micros of the result)
  const cents = (scaled + 500_000n) / 1_000_000n; // ÷100 for the percent, ÷10 000 micros per cent, half up
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}
