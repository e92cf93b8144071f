// Resource templates: a campaign document (mbo://campaigns/{campaign}) and an account document
// (mbo://accounts/{account}), read through the use cases as the session's actor; on a platform server, only that
// platform's. JSON documents: campaign fields, budget, status and its last 30 synced days by week; account fields,
// last sync and its effective guardrail policy. Names and texts in them come from the platform: data, not instructions.
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/server';
import { AppError } from '../../core/errors.js';
import { listAccounts } from '../../services/accounts/accounts.js';
import { campaignMetrics, listCampaigns } from '../../services/campaigns/campaigns.js';
import { getGuardrails } from '../../services/guardrails/guardrails.js';
import type { McpSession } from '../kit/session.js';
import { findCampaign } from './campaign-lookup.js';
import type { Platform } from './platforms.js';

const json = (uri: URL, value: unknown) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }] });

export function registerDocuments(server: McpServer, session: McpSession, platform?: Platform): void {
  server.registerResource(
    'campaign',
    new ResourceTemplate('mbo://campaigns/{campaign}', {
      list: async () => {
        const { ctx } = await session.env();
        const page = await listCampaigns(ctx, { platform, limit: 200 });
        return {
          resources: page.items.map((c) => ({
            uri: `mbo://campaigns/${c.id}`,
            name: `${c.platform}/${c.externalId}`,
            title: c.name,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Campaign document',
      description: 'A campaign: ids, account, status, daily budget and its last 30 synced days by week',
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const { ctx } = await session.env();
      const campaign = await findCampaign(ctx, decodeURIComponent(String(vars.campaign)), platform);
      const perf = await campaignMetrics(ctx, { campaign: campaign.id, granularity: 'week' });
      return json(uri, { campaign, performance: { from: perf.from, to: perf.to, weeks: perf.points } });
    },
  );
  server.registerResource(
    'account',
    new ResourceTemplate('mbo://accounts/{account}', {
      list: async () => {
        const { ctx } = await session.env();
        const accounts = (await listAccounts(ctx)).filter((a) => !platform || a.platform === platform);
        return {
          resources: accounts.map((a) => ({
            uri: `mbo://accounts/${a.id}`,
            name: `${a.platform}/${a.externalId}`,
            title: a.name,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Ad account document',
      description: 'An ad account: ids, currency, time zone, campaigns, last sync and its guardrail policy',
      mimeType: 'application/json',
    },
    async (uri, vars) => {
      const { ctx } = await session.env();
      const ref = decodeURIComponent(String(vars.account));
      const account = (await listAccounts(ctx)).find((a) => (a.id === ref || a.externalId === ref) && (!platform || a.platform === platform));
      if (!account) throw new AppError('NOT_FOUND', `no ${platform ?? ''} account "${ref}" in "${ctx.actor.workspace}"`.replace('  ', ' '));
      const guardrails = await getGuardrails(ctx, { account: account.id });
      return json(uri, { account, guardrails: guardrails.policy });
    },
  );
}
