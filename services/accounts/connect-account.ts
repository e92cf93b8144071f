// Use cases to connect a live ad account (admins): check the credentials against the platform (authenticate),
// then store them sealed (AES-256-GCM) and the account with its name, currency and time zone as the platform
// says; and test an account's access again. Secrets are never logged, audited or returned.
import { randomUUID } from 'node:crypto';
import { sealCredentials, type StoredCredentials } from '../../connectors/credentials.js';
import { connectorFor, liveConnector } from '../../connectors/index.js';
import { ConnectorError } from '../../connectors/errors.js';
import { AppError } from '../../core/errors.js';
import { withTransaction } from '../../db/transaction.js';
import { accountInWorkspace } from '../../db/workspaces.js';
import { loadKeyring } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { accountParamSchema, connectAccountSchema } from './accounts.schema.js';

function refused(e: unknown): never {
  if (e instanceof ConnectorError) throw new AppError('VALIDATION', `the platform refused the credentials: ${e.message}`, { connectorError: e.name });
  throw e;
}

export async function connectAccount(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(connectAccountSchema, raw);
  const creds: StoredCredentials = { secrets: input.secrets, options: input.options };
  let refreshed = creds;
  const info = await liveConnector(input.platform, input.externalId, creds, async (c) => {
    refreshed = c;
  })
    .authenticate()
    .catch(refused);
  const sealed = sealCredentials(loadKeyring(ctx.app.config), refreshed);
  // Stored as the platform writes it (Google customer id without dashes, Meta act_…, LinkedIn id without its URN), so
  // the same account typed two ways is one account, and ids from the platform's own reports find it.
  const externalId = info.externalId;
  return withTransaction(ctx.app.prisma, async (tx) => {
    const existing = await tx.platformAccount.findUnique({
      where: { workspaceId_platform_externalId: { workspaceId: ctx.actor.workspaceId, platform: input.platform, externalId } },
    });
    if (existing?.connector === 'sandbox') throw new AppError('CONFLICT', `${externalId} is a sandbox account`);
    const ref = existing?.credentialsRef ?? randomUUID();
    await tx.platformCredential.upsert({
      where: { id: ref },
      create: { id: ref, workspaceId: ctx.actor.workspaceId, platform: input.platform, sealed, createdBy: ctx.actor.userId },
      update: { sealed, updatedAt: new Date() },
    });
    const account = await tx.platformAccount.upsert({
      where: { workspaceId_platform_externalId: { workspaceId: ctx.actor.workspaceId, platform: input.platform, externalId } },
      create: {
        workspaceId: ctx.actor.workspaceId,
        platform: input.platform,
        connector: input.platform,
        externalId,
        name: info.name,
        currency: info.currency,
        timeZone: info.timeZone,
        credentialsRef: ref,
      },
      update: { name: info.name, currency: info.currency, timeZone: info.timeZone, credentialsRef: ref },
    });
    await auditAs(ctx, tx, {
      action: existing ? 'account.reconnected' : 'account.connected',
      entityType: 'platform_account',
      entityId: account.id,
      after: {
        platform: account.platform,
        externalId: account.externalId,
        name: account.name,
        currency: account.currency,
        timeZone: account.timeZone,
        secretFields: Object.keys(input.secrets),
      },
    });
    return {
      id: account.id,
      platform: account.platform,
      externalId: account.externalId,
      name: account.name,
      currency: account.currency,
      timeZone: account.timeZone,
    };
  });
}

export async function testAccount(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const { account } = parseInput(accountParamSchema, raw);
  const a = await accountInWorkspace(ctx.app.pool, ctx.actor.workspaceId, account);
  const row = await ctx.app.prisma.platformAccount.findUniqueOrThrow({ where: { id: a.id } });
  const started = performance.now();
  try {
    const info = await connectorFor(row, { pool: ctx.app.pool }).authenticate();
    const campaigns = await connectorFor(row, { pool: ctx.app.pool }).listCampaigns();
    return { ok: true, account: info.name, campaigns: campaigns.length, ms: Math.round(performance.now() - started) };
  } catch (e) {
    if (e instanceof ConnectorError) return { ok: false, error: `${e.name}: ${e.message}`, ms: Math.round(performance.now() - started) };
    throw e;
  }
}
