// The fitted response models behind what-ifs and forecasts: the campaigns of a scope (one campaign, one account or
// the workspace) with the optimizer's own models (core/optimizer fit → platform peer priors → posterior), fitted on
// the stored daily metrics. Peers are the workspace's active campaigns on the same platforms, as in optimization.
import { AppError } from '../../core/errors.js';
import type { ResponseModel } from '../../core/optimizer/model.js';
import { peerModels } from '../../core/optimizer/peer-models.js';
import { campaignsWithHistory, type CampaignWithHistory } from '../../db/campaign-history.js';
import { accountInWorkspace, isUuid } from '../../db/workspaces.js';
import type { ServiceContext } from '../actor.js';

export const HISTORY_DAYS = 120;

export interface ScopedCampaign extends CampaignWithHistory {
  model: ResponseModel | null;
}

export interface Scope {
  kind: 'campaign' | 'account' | 'workspace';
  ref: string | null;
  campaigns: ScopedCampaign[];
  currency: string;
  notes: string[];
}

const matches = (c: CampaignWithHistory, ref: string) => c.externalId === ref || (isUuid(ref) && c.id === ref);

export async function loadScope(ctx: ServiceContext, q: { campaign?: string; account?: string; extra?: string[] }): Promise<Scope> {
  const all = await campaignsWithHistory(ctx.app.pool, ctx.actor.workspaceId, { historyDays: HISTORY_DAYS });
  let inScope: CampaignWithHistory[];
  let kind: Scope['kind'] = 'workspace';
  if (q.campaign) {
    kind = 'campaign';
    inScope = all.filter((c) => matches(c, q.campaign!));
    if (inScope.length > 1) throw new AppError('CONFLICT', `"${q.campaign}" names ${inScope.length} campaigns on different platforms: use the MBO id`);
    if (!inScope.length) throw new AppError('NOT_FOUND', `no active campaign with a budget "${q.campaign}" in this workspace`);
  } else if (q.account) {
    kind = 'account';
    const account = await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, q.account);
    inScope = all.filter((c) => c.accountId === account.id);
    if (!inScope.length) throw new AppError('VALIDATION', `account ${account.name} has no active campaign with a daily budget`);
  } else {
    inScope = all;
    if (!inScope.length) throw new AppError('VALIDATION', 'the workspace has no active campaign with a daily budget (sync first)');
  }
  for (const ref of q.extra ?? []) {
    if (inScope.some((c) => matches(c, ref))) continue;
    const found = all.filter((c) => matches(c, ref));
    if (!found.length) throw new AppError('NOT_FOUND', `no active campaign with a budget "${ref}" in this scope`);
    if (kind !== 'workspace') throw new AppError('VALIDATION', `campaign "${ref}" is not in the ${kind} asked about`);
  }
  const currencies = [...new Set(inScope.map((c) => c.currency))];
  if (currencies.length > 1)
    throw new AppError(
      'VALIDATION',
      `the campaigns in scope are in ${currencies.join(' and ')}: ask per account (predictions are not converted between currencies)`,
    );
  const platforms = new Set(inScope.map((c) => c.platform));
  const peers = all.filter((c) => platforms.has(c.platform));
  const modelOf = peerModels(peers);
  const notes: string[] = [];
  const campaigns = inScope.map((c) => {
    const model = modelOf(c.id);
    if (!model) notes.push(`${c.platform} ${c.externalId} (${c.name}): too little history for a model; predicted as 0 with no interval`);
    return { ...c, model };
  });
  const weak = campaigns.filter((c) => c.model && !c.model.identified).length;
  if (weak)
    notes.push(`${weak} campaign(s) have too little budget variation or history to pin their curve down: their intervals lean on platform peers and are wide`);
  return { kind, ref: q.campaign ?? q.account ?? null, campaigns, currency: currencies[0]!, notes };
}
