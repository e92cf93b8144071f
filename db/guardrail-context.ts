// What the guardrails need to know about an account, read in one round trip and narrowly, so its cost does not grow
// with the account's age: the changes applied in the last 24 h (index on change_item.applied_at), each requested
// campaign's last applied change (one probe per campaign on (campaign_id, status, applied_at desc)), the pending
// items of the account's other requests that are being applied right now — counted as if applied, so two requests
// approved at the same moment cannot both take the last of a limit — and the active campaigns' budgets (spend cap).
// Runs on the client or inside a transaction (beginApply runs it under the account's apply lock).
import type { GuardrailContext } from '../core/guardrails.js';
import type { PrismaClient } from './prisma.js';
import type { Tx } from './transaction.js';

export interface GuardrailRequest {
  id: string;
  emergency: boolean;
  items: { campaignId: string }[];
}

interface Row {
  today: { c: string; f: string; b?: string | null }[];
  last: { c: string; at: string }[];
  inflight: { c: string; k: 'budget' | 'pause' | 'resume' | 'bid'; f: string; t: string | null; b?: string | null }[];
  budgets: { c: string; b: string }[];
}

/** The reads of guardrailContext, as they reach the database (EXPLAIN in bench:workflows). */
export const GUARDRAIL_CONTEXT_SQL = `
  select
    (select coalesce(json_agg(json_build_object('c', i.campaign_id, 'f', i.from_budget::text, 'b', i.from_bid::text) order by i.applied_at), '[]')
       from change_item i join change_request r on r.id = i.request_id
      where i.status = 'APPLIED' and i.applied_at >= $2 and r.account_id = $1::uuid) as today,
    (select coalesce(json_agg(json_build_object('c', c.id, 'at', l.applied_at)), '[]')
       from unnest($3::uuid[]) as c(id)
       cross join lateral (select i.applied_at from change_item i
                            where i.campaign_id = c.id and i.status = 'APPLIED' and i.applied_at is not null
                            order by i.applied_at desc limit 1) l) as last,
    (select coalesce(json_agg(json_build_object('c', i.campaign_id, 'k', i.kind, 'f', i.from_budget::text, 't', i.to_budget::text, 'b', i.from_bid::text)), '[]')
       from change_request r join change_item i on i.request_id = r.id
      where r.account_id = $1::uuid and r.status = 'APPLYING' and r.id <> $4::uuid and i.status = 'PENDING') as inflight,
    (select coalesce(json_agg(json_build_object('c', id, 'b', daily_budget::text)), '[]')
       from campaign where account_id = $1::uuid and status = 'ACTIVE' and daily_budget is not null) as budgets`;

/** The account's local wall-clock time ("HH:MM") and weekday (0 = Sunday) at `now`. */
export function localClock(timeZone: string, now: Date) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', weekday: 'short', hour12: false })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return { localTime: `${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`, localWeekday: weekday };
}

const money = (s: string) => s.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');

export async function guardrailContext(
  db: PrismaClient | Tx,
  r: GuardrailRequest,
  account: { id: string; timeZone: string },
  now: string,
  requesterRole?: string,
): Promise<GuardrailContext> {
  const dayStart = new Date(Date.parse(now) - 86_400_000);
  const campaignIds = r.items.map((i) => i.campaignId);
  const [row] = await db.$queryRawUnsafe<Row[]>(GUARDRAIL_CONTEXT_SQL, account.id, dayStart, campaignIds, r.id);
  const { today, last, inflight, budgets } = row!;
  const lastChangeAt: Record<string, string> = Object.fromEntries(last.map((l) => [l.c, new Date(l.at).toISOString()]));
  const dayStartBudgets: Record<string, string> = {};
  const dayStartBids: Record<string, string> = {};
  for (const a of today) {
    // A bid item's from_budget is the budget it left alone: still the day-start budget if nothing else moved it.
    dayStartBudgets[a.c] ??= money(a.f);
    if (a.b != null) dayStartBids[a.c] ??= money(a.b);
  }
  const accountBudgets: Record<string, string> = Object.fromEntries(budgets.map((c) => [c.c, money(c.b)]));
  for (const p of inflight) {
    lastChangeAt[p.c] = now;
    dayStartBudgets[p.c] ??= money(p.f);
    if (p.b != null) dayStartBids[p.c] ??= money(p.b);
    if (p.k === 'budget' && p.t) accountBudgets[p.c] = money(p.t);
    else if (p.k === 'pause') delete accountBudgets[p.c];
    else if (p.k === 'resume') accountBudgets[p.c] = money(p.f);
  }
  return {
    now,
    ...localClock(account.timeZone, new Date(now)),
    accountBudgets,
    dayStartBudgets,
    dayStartBids,
    lastChangeAt,
    changesToday: today.length + inflight.length,
    emergency: r.emergency,
    requesterRole,
  };
}
