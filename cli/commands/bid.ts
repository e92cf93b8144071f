// `mbo bid set`: ask for a change of a campaign's bidding target (Google Ads target CPA / target ROAS, Meta bid or
// cost cap, TikTok bid, LinkedIn bid), as the key's member (analysts and above): "to X" or "by ±N %" of the target
// the last sync read. The request is an ordinary change request with one bid item — the same guardrails (the
// platform's bound per change, max change per day, learning phase), approval, exactly-once apply and audit as budgets.
import type { Command } from 'commander';
import { requestChangeSchema } from '../../services/change-requests/change-requests.schema.js';
import { exitForStatus, printRequest, waitUntilEvaluated, waitUntilSettled } from '../change-requests.js';
import { examples } from '../help.js';
import { printJson, say } from '../output.js';
import { validate, withApi } from '../run.js';

type Opts = {
  to?: string;
  by?: string;
  targetCpa?: string;
  targetRoas?: string;
  costCap?: string;
  bidCap?: string;
  bid?: string;
  reason: string;
  wait?: boolean;
  json?: boolean;
};

const NAMES = {
  reason: '--reason',
  'items.campaign': '<campaign>',
  'items.to': '--to',
  'items.byPct': '--by',
  'items.bidKind': '--target-cpa/--target-roas/--cost-cap/--bid-cap/--bid',
  items: '--to or --by',
};

/** "+10%", "-15", "12.5 %" → 10, -15, 12.5; anything else → NaN (the schema then says what it should be). */
export function percent(v: string): number {
  const m = /^\s*([+-]?\d+(?:\.\d+)?)\s*%?\s*$/.exec(v);
  return m ? Number(m[1]) : NaN;
}

/** The bid item the options ask for: one of --to / --by / a kind-named value (which also names the kind). */
export function bidItem(campaign: string, o: Opts): Record<string, unknown> {
  const named = (
    [
      ['target_cpa', o.targetCpa],
      ['target_roas', o.targetRoas],
      ['cost_cap', o.costCap],
      ['bid_cap', o.bidCap],
      ['bid', o.bid],
    ] as const
  ).filter(([, v]) => v !== undefined);
  const item: Record<string, unknown> = { kind: 'bid', campaign };
  const values = [...named.map(([, v]) => v), o.to].filter((v) => v !== undefined);
  if (named.length === 1) item.bidKind = named[0]![0];
  if (values.length) item.to = values[0];
  if (o.by !== undefined) item.byPct = percent(o.by);
  // Two new values at once: the schema refuses it as "not both" (one new target, or one change in percent).
  if (values.length > 1) item.byPct ??= 1;
  return item;
}

export function registerBid(program: Command) {
  const bid = program
    .command('bid')
    .description("request a change of a campaign's bid target (target CPA/ROAS, bid or cost cap; applied after approval, through guardrails)");
  examples(bid, ['mbo bid set sbx-google_ads-c01 --by +10%', 'mbo bid set sbx-meta-c01 --cost-cap 42.50 --wait']);
  const set = bid
    .command('set')
    .description("set a campaign's bid target to a value, or move it by ±N % (of the target the last sync read)")
    .argument('<campaign>', "MBO's campaign id or the platform's (e.g. sbx-google_ads-c01)")
    .option('--to <value>', 'the new target, in the kind the campaign bids with (money in the account currency; a ratio for target ROAS)')
    .option('--by <percent>', 'move the target by this many percent, e.g. +10% or -15')
    .option('--target-cpa <amount>', 'the new target CPA (the campaign must bid with a target CPA)')
    .option('--target-roas <ratio>', 'the new target ROAS, e.g. 3.5')
    .option('--cost-cap <amount>', 'the new cost cap')
    .option('--bid-cap <amount>', 'the new bid cap')
    .option('--bid <amount>', 'the new (manual) bid')
    .option('--reason <text>', 'why (kept in the audit trail)', 'requested from the CLI')
    .option('--wait', 'wait until the request is applied, needs a human, or is stopped (exit 8 when BLOCKED, REJECTED, …)')
    .option('--json', 'machine-readable output');
  examples(set, [
    'mbo bid set sbx-google_ads-c01 --by +10% --reason "room to grow"',
    'mbo bid set sbx-google_ads-c01 --target-cpa 42.50',
    'mbo bid set sbx-google_ads-c02 --target-roas 3.8 --wait --json',
    'mbo bid set sbx-meta-c01 --by -15 --wait',
  ]);
  set.action((campaign: string, opts: Opts) => {
    const input = validate(requestChangeSchema, { reason: opts.reason, items: [bidItem(campaign, opts)] }, NAMES, opts.json);
    return withApi(opts, async ({ api }) => {
      const created = await api.requestChange(input);
      // Always until the guardrails have spoken (a BLOCKED request is never exit 0); with --wait until it applies too.
      const r = opts.wait ? await waitUntilSettled(api, created.id) : await waitUntilEvaluated(api, created.id);
      if (opts.json) printJson(r);
      else {
        printRequest(r);
        if (r.status === 'PENDING_APPROVAL') say(`Waiting for an approver: \`mbo approvals approve ${r.id.slice(0, 8)}\``);
      }
      process.exitCode = exitForStatus(r.status);
    });
  });
}
