// Sets up the sandbox world (four platform accounts, ~40 campaigns, history) and registers its accounts in
// the workspace as platform accounts served by the sandbox connector. Idempotent: existing state is kept.
import { SandboxPlatform } from '../connectors/sandbox/platform.js';
import { PLATFORMS } from '../connectors/types.js';
import { todayIn } from '../core/dates.js';
import { ensureSandboxJourneys } from '../connectors/sandbox/journeys-store.js';
import type { AppContext } from '../services/context.js';

export interface EnsureSandboxOptions {
  workspace: string;
  prefix?: string;
  seed?: number;
  historyDays?: number;
  campaignsPerAccount?: number;
  today?: string;
  members?: [string, 'viewer' | 'analyst' | 'approver' | 'admin'][];
}

export async function ensureSandbox(ctx: AppContext, o: EnsureSandboxOptions) {
  const sandbox = new SandboxPlatform(ctx.pool);
  const prefix = o.prefix ?? 'sbx';
  await sandbox.setup({
    prefix,
    seed: o.seed ?? ctx.config.sandbox.seed,
    historyDays: o.historyDays ?? ctx.config.sandbox.historyDays,
    today: o.today ?? todayIn('UTC'),
    campaignsPerAccount: o.campaignsPerAccount,
  });
  const workspace = await ctx.prisma.workspace.upsert({
    where: { slug: o.workspace },
    create: { slug: o.workspace, name: o.workspace === 'default' ? 'Default workspace' : o.workspace },
    update: {},
  });
  // Local roles: whoever runs the stack is an admin; two demo colleagues make four-eyes approval possible.
  if (o.members) {
    for (const [userId, role] of o.members) {
      await ctx.prisma.appUser.upsert({ where: { id: userId }, create: { id: userId, displayName: userId }, update: {} });
      await ctx.prisma.member.upsert({
        where: { workspaceId_userId: { workspaceId: workspace.id, userId } },
        create: { workspaceId: workspace.id, userId, role },
        update: {},
      });
    }
  }
  const { rows } = await ctx.pool.query<{ id: string; platform: (typeof PLATFORMS)[number]; name: string; currency: string; time_zone: string }>(
    'select id, platform, name, currency, time_zone from sandbox.account where id like $1 order by id',
    [`${prefix}-%`],
  );
  const accounts = [];
  for (const a of rows) {
    accounts.push(
      await ctx.prisma.platformAccount.upsert({
        where: { workspaceId_platform_externalId: { workspaceId: workspace.id, platform: a.platform, externalId: a.id } },
        create: {
          workspaceId: workspace.id,
          platform: a.platform,
          connector: 'sandbox',
          externalId: a.id,
          name: a.name,
          currency: a.currency,
          timeZone: a.time_zone,
        },
        update: {},
      }),
    );
  }
  await ensureSandboxJourneys(ctx.pool, { workspaceId: workspace.id, prefix, seed: o.seed ?? ctx.config.sandbox.seed, today: o.today ?? todayIn('UTC') });
  return { workspace, accounts };
}
