// One shape for what a form post answers on the rules, alerts and settings pages: which form (intent), whether the
// use case did it, its words (a refusal is the AppError's own message with the status the API would use), and
// anything to show once (a new API key or webhook secret).
import { data } from 'react-router';
import { HTTP_STATUS, isAppError } from '../../../core/errors.ts';

const STATUS = HTTP_STATUS; // the API's table (core/errors.ts)

export interface FormResult {
  intent: string;
  ok: boolean;
  message: string;
  /** Shown once (a new key's secret), never stored by the page. */
  secret?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- what a page shows from its own intent
  extra?: any;
}

export function done(intent: string, message: string, more: Partial<FormResult> = {}) {
  return data<FormResult>({ intent, ok: true, message, ...more }, { status: 200 });
}

export function refused(intent: string, message: string, status = 400) {
  return data<FormResult>({ intent, ok: false, message }, { status });
}

/** Runs the use case; an AppError becomes a refusal with its message and status, anything else rethrows. */
export async function attempt(intent: string, fn: () => Promise<ReturnType<typeof done>>) {
  try {
    return await fn();
  } catch (e) {
    if (isAppError(e)) return refused(intent, e.message, STATUS[e.code] ?? 500);
    throw e;
  }
}

/** The first message of a failed conform submission, for a one-line refusal. */
export function firstError(error: Record<string, string[] | null> | null | undefined): string {
  const all = Object.entries(error ?? {}).flatMap(([k, v]) => (v ?? []).map((m) => (k ? `${k}: ${m}` : m)));
  return all[0] ?? 'check the form';
}
