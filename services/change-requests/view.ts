// How a stored change request is shown by every door: items with campaign, platform and both ids.
import type { AppContext } from '../context.js';
import { workflowUrl } from '../../temporal/connection.js';
import type { BID_KINDS, ChangeRequestView } from './change-requests.schema.js';

type BidKind = (typeof BID_KINDS)[number];

type GuardrailResult = { violations?: unknown[]; notes?: string[]; [k: string]: unknown };

/** A request refused by a guardrail never goes to a human: its approval note would say otherwise. */
function shownGuardrails(g: GuardrailResult | null): unknown {
  if (!g?.violations?.length || !g.notes) return g ?? null;
  return { ...g, notes: g.notes.filter((n) => n !== 'needs a human approval' && n !== 'auto-approved by policy') };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const dec = (d: { toString(): string } | null | undefined) => (d == null ? null : d.toString());

export async function loadChangeRequestViews(app: AppContext, where: { workspaceId: string; ids: string[] }): Promise<ChangeRequestView[]> {
  const rows = await app.prisma.changeRequest.findMany({
    where: { workspaceId: where.workspaceId, id: { in: where.ids } },
    include: { items: { orderBy: { seq: 'asc' } } },
  });
  const campaigns = await app.prisma.campaign.findMany({
    where: { id: { in: [...new Set(rows.flatMap((r) => r.items.map((i) => i.campaignId)))] } },
    include: { account: true },
  });
  const accounts = await app.prisma.platformAccount.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.accountId))] } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return where.ids
    .map((id) => byId.get(id))
    .filter((r): r is NonNullable<typeof r> => !!r)
    .map((r) => {
      const a = accounts.find((x) => x.id === r.accountId)!;
      return {
        id: r.id,
        status: r.status,
        source: r.source,
        requestedBy: r.requestedBy,
        reason: r.reason,
        emergency: r.emergency,
        account: { id: a.id, externalId: a.externalId, name: a.name, platform: a.platform, currency: a.currency },
        items: r.items.map((i) => {
          const c = campaigns.find((x) => x.id === i.campaignId)!;
          return {
            id: i.id,
            seq: i.seq,
            kind: i.kind,
            campaign: { id: c.id, externalId: c.externalId, name: c.name, platform: c.account.platform },
            fromBudget: i.fromBudget.toString(),
            toBudget: dec(i.toBudget),
            bid:
              i.kind === 'bid' && i.bidKind && i.fromBid && i.toBid
                ? { kind: i.bidKind as BidKind, from: i.fromBid.toString(), to: i.toBid.toString(), observed: dec(i.observedBid) }
                : null,
            // Items of a request that ended without applying were never pending anything.
            status: i.status === 'PENDING' && ['REJECTED', 'EXPIRED', 'BLOCKED', 'FAILED'].includes(r.status) ? 'NOT_APPLIED' : i.status,
            observedBudget: dec(i.observedBudget),
            error: i.error,
            appliedAt: iso(i.appliedAt),
          };
        }),
        guardrails: shownGuardrails(r.guardrails as GuardrailResult | null),
        decidedBy: r.decidedBy,
        decidedAt: iso(r.decidedAt),
        decisionNote: r.decisionNote,
        outcome: r.outcome,
        expiresAt: iso(r.expiresAt),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
        workflowUrl: workflowUrl(app.config.temporal, r.id),
      };
    });
}
