// Use cases for `mbo accounts add <platform>` (admins): the OAuth 2.0 authorization-code flow, one step per call so
// any door can drive it. start: a state (and a PKCE pair where the platform takes one) kept sealed in oauth_session
// for 15 minutes, and the consent URL. exchange: the code the loopback callback received, for that state, exchanged
// once at the platform's token endpoint; the tokens are sealed in the session and the accounts the token reaches are
// listed. connect: the chosen account goes through connectAccount (checked with the platform, sealed, audited), and
// the session is spent. Secrets never come back out; the client secret and tokens are never logged or audited.
import {
  authorizeUrl,
  exchangeCode,
  listAccessibleAccounts,
  newState,
  pkcePair,
  SUPPORTS_PKCE,
  type AccessibleAccount,
  type ConsentEndpoints,
} from '../../connectors/oauth/consent.js';
import { ConnectorError, RateLimitError, TransientError } from '../../connectors/errors.js';
import type { PlatformKind } from '../../connectors/types.js';
import { AppError } from '../../core/errors.js';
import { loadKeyring, open, seal } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { connectAccount } from './connect-account.js';
import { connectOAuthSchema, exchangeOAuthSchema, startOAuthSchema } from './oauth.schema.js';

const TTL_MS = 15 * 60_000;

interface SessionSecrets {
  client: { clientId: string; clientSecret: string };
  verifier?: string;
  extra?: Record<string, string | undefined>;
  options?: Record<string, unknown>;
  endpoints?: ConsentEndpoints;
  tokens?: Record<string, string>;
  accounts?: AccessibleAccount[];
}

function platformFailure(e: unknown): never {
  if (e instanceof RateLimitError) throw new AppError('RATE_LIMITED', e.message, { retryAfterSeconds: Math.ceil(e.retryAfterMs / 1000) });
  if (e instanceof TransientError) throw new AppError('TRANSIENT', e.message);
  if (e instanceof ConnectorError) throw new AppError('VALIDATION', e.message, { connectorError: e.name });
  throw e;
}

export async function startOAuth(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(startOAuthSchema, raw);
  const platform = input.platform as PlatformKind;
  if (platform === 'google_ads' && !input.secrets?.developerToken)
    throw new AppError('INVALID_INPUT', 'secrets.developerToken: Google Ads needs your developer token (API Center of a manager account)');
  const state = newState();
  const pkce = SUPPORTS_PKCE[platform] ? pkcePair() : undefined;
  const sealed: SessionSecrets = { client: input.client, verifier: pkce?.verifier, extra: input.secrets, options: input.options, endpoints: input.endpoints };
  const expiresAt = new Date(Date.now() + TTL_MS);
  await ctx.app.prisma.oauthSession.create({
    data: {
      state,
      workspaceId: ctx.actor.workspaceId,
      platform,
      redirectUri: input.redirectUri,
      sealed: seal(loadKeyring(ctx.app.config), JSON.stringify(sealed)),
      createdBy: ctx.actor.userId,
      expiresAt,
    },
  });
  const url = authorizeUrl(platform, {
    clientId: input.client.clientId,
    redirectUri: input.redirectUri,
    state,
    codeChallenge: pkce?.challenge,
    endpoints: input.endpoints,
  });
  return { platform, state, authorizeUrl: url, pkce: !!pkce, expiresAt: expiresAt.toISOString() };
}

/** The caller's live session for this state (same workspace and person), or a clear refusal. */
async function session(ctx: ServiceContext, state: string) {
  const s = await ctx.app.prisma.oauthSession.findUnique({ where: { state } });
  if (!s || s.workspaceId !== ctx.actor.workspaceId || s.createdBy !== ctx.actor.userId)
    throw new AppError('NOT_FOUND', 'no consent in progress with this state: start again (mbo accounts add)');
  if (s.usedAt) throw new AppError('CONFLICT', 'this consent was already used to connect an account: start again');
  if (s.expiresAt.getTime() < Date.now()) throw new AppError('CONFLICT', 'this consent expired (15 minutes): start again');
  const keyring = loadKeyring(ctx.app.config);
  return { row: s, keyring, secrets: JSON.parse(open(keyring, s.sealed)) as SessionSecrets };
}

export async function exchangeOAuth(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(exchangeOAuthSchema, raw);
  const { row, keyring, secrets } = await session(ctx, input.state);
  // A code is exchanged once: claim the session before calling the platform (a replayed callback gets a 409).
  const claimed = await ctx.app.prisma.oauthSession.updateMany({ where: { id: row.id, exchanged: false }, data: { exchanged: true } });
  if (claimed.count !== 1) throw new AppError('CONFLICT', 'the code for this consent was already exchanged');
  const platform = row.platform as PlatformKind;
  try {
    const tokens = await exchangeCode(platform, {
      client: secrets.client,
      code: input.code,
      redirectUri: row.redirectUri,
      codeVerifier: secrets.verifier,
      endpoints: secrets.endpoints,
    });
    const accounts = await listAccessibleAccounts(platform, tokens, { developerToken: secrets.extra?.developerToken, endpoints: secrets.endpoints });
    await ctx.app.prisma.oauthSession.update({
      where: { id: row.id },
      data: { sealed: seal(keyring, JSON.stringify({ ...secrets, verifier: undefined, tokens, accounts } satisfies SessionSecrets)) },
    });
    return { platform, state: input.state, accounts };
  } catch (e) {
    await ctx.app.prisma.oauthSession.update({ where: { id: row.id }, data: { usedAt: new Date() } }); // spent: start again
    return platformFailure(e);
  }
}

export async function connectOAuth(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(connectOAuthSchema, raw);
  const { row, secrets } = await session(ctx, input.state);
  if (!row.exchanged || !secrets.tokens) throw new AppError('CONFLICT', 'the consent has not come back yet: exchange its code first');
  const chosen = (secrets.accounts ?? []).find(
    (a) => a.externalId === input.externalId || a.externalId.replace(/^act_/, '') === input.externalId.replace(/^act_/, ''),
  );
  if (!chosen)
    throw new AppError(
      'VALIDATION',
      `the token does not reach ${input.externalId}; it reaches: ${(secrets.accounts ?? []).map((a) => a.externalId).join(', ') || 'no account'}`,
    );
  const extra = Object.fromEntries(Object.entries(secrets.extra ?? {}).filter(([, v]) => v)) as Record<string, string>;
  const account = await connectAccount(ctx, {
    platform: row.platform,
    externalId: chosen.externalId,
    secrets: { ...secrets.tokens, ...extra },
    options: secrets.options,
  });
  await ctx.app.prisma.oauthSession.update({ where: { id: row.id }, data: { usedAt: new Date(), sealed: '' } });
  await auditAs(ctx, ctx.app.prisma, {
    action: 'account.oauth_consented',
    entityType: 'platform_account',
    entityId: account.id,
    after: { platform: row.platform, externalId: account.externalId, pkce: !!SUPPORTS_PKCE[row.platform as PlatformKind] },
  });
  return account;
}
