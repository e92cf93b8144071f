// Which client serves an account: the sandbox, or a live platform connector built from the account's sealed
// credentials. Live connectors open their secrets lazily (on the first call), so building one is cheap and
// synchronous for the activities. Inside an activity, a live call keeps the activity's heartbeat going while it
// waits on the platform (see keepAlive).
import { asyncLocalStorage as activityContext } from '@temporalio/activity';
import type pg from 'pg';
import { AppError } from '../core/errors.js';
import { loadCredentials, saveRefreshedSecrets, type StoredCredentials } from './credentials.js';
import { createGoogleAdsConnector, type GoogleAdsSecrets } from './google-ads/index.js';
import { createLinkedInConnector, type LinkedInSecrets } from './linkedin/index.js';
import { createMetaConnector, type MetaSecrets } from './meta/index.js';
import { SandboxConnector } from './sandbox/connector.js';
import { createTikTokConnector, type TikTokSecrets } from './tiktok/index.js';
import type { Connector, PlatformKind } from './types.js';

export interface ConnectorTarget {
  platform: PlatformKind;
  connector: string;
  externalId: string;
  credentialsRef?: string | null;
}

export const LIVE_CONNECTORS = ['google_ads', 'meta', 'tiktok', 'linkedin'] as const;

/** A live connector over stored credentials (what accounts use), or over given ones (connecting a new account). */
export function liveConnector(
  platform: PlatformKind,
  externalId: string,
  creds: StoredCredentials,
  onRefresh?: (c: StoredCredentials) => Promise<void>,
): Connector {
  const base = {
    accountExternalId: externalId,
    ...(creds.options ?? {}),
    onSecretsRefreshed: async (secrets: object) => onRefresh?.({ ...creds, secrets: secrets as StoredCredentials['secrets'] }),
  };
  switch (platform) {
    case 'google_ads':
      return createGoogleAdsConnector({ ...base, secrets: creds.secrets as GoogleAdsSecrets });
    case 'meta':
      return createMetaConnector({ ...base, secrets: creds.secrets as MetaSecrets });
    case 'tiktok':
      return createTikTokConnector({ ...base, secrets: creds.secrets as TikTokSecrets });
    case 'linkedin':
      return createLinkedInConnector({ ...base, secrets: creds.secrets as LinkedInSecrets });
  }
}

export const KEEP_ALIVE_MS = 3_000;

/**
 * Heartbeats every few seconds while a platform call runs inside an activity (outside one it does nothing). One
 * connector method is several HTTP calls, each allowed up to its timeout (connectors/http.ts, 30 s), and a Meta
 * report wait takes up to 10 s: longer together than the activities' heartbeat timeouts (sync 15 s, apply 10 s),
 * which would time out an attempt that is making progress and run it again. A dead worker still stops beating.
 * Details are left empty: the sync's cursor is stored with every page (sync_run.cursor), which is where it resumes.
 */
async function keepAlive<T>(run: () => Promise<T>): Promise<T> {
  const ctx = activityContext.getStore();
  if (!ctx) return run();
  const timer = setInterval(() => ctx.heartbeat(), KEEP_ALIVE_MS);
  try {
    return await run();
  } finally {
    clearInterval(timer);
  }
}

/** Defers opening the credentials to the first call; every method then goes to the real connector. */
function lazy(platform: PlatformKind, build: () => Promise<Connector>): Connector {
  let inner: Promise<Connector> | undefined;
  const get = () => (inner ??= build().catch((e) => ((inner = undefined), Promise.reject(e))));
  const call =
    <K extends keyof Connector>(k: K) =>
    (...args: unknown[]) =>
      keepAlive(async () => ((await get())[k] as (...a: unknown[]) => unknown)(...args));
  return {
    platform,
    authenticate: call('authenticate') as Connector['authenticate'],
    listCampaigns: call('listCampaigns') as Connector['listCampaigns'],
    getMetrics: call('getMetrics') as Connector['getMetrics'],
    updateBudget: call('updateBudget') as Connector['updateBudget'],
    pauseCampaign: call('pauseCampaign') as Connector['pauseCampaign'],
    resumeCampaign: call('resumeCampaign') as Connector['resumeCampaign'],
    updateBidTarget: (...args: Parameters<NonNullable<Connector['updateBidTarget']>>) =>
      keepAlive(async () => {
        const c = await get();
        if (!c.updateBidTarget) throw new AppError('VALIDATION', `${platform} has no bid target MBO can change`);
        return c.updateBidTarget(...args);
      }),
  };
}

export function connectorFor(account: ConnectorTarget, deps: { pool: pg.Pool }): Connector {
  if (account.connector === 'sandbox') return new SandboxConnector(deps.pool, account.platform, account.externalId);
  if ((LIVE_CONNECTORS as readonly string[]).includes(account.connector) && account.connector === account.platform) {
    return lazy(account.platform, async () => {
      const creds = await loadCredentials(deps.pool, account.credentialsRef, account.platform);
      return liveConnector(account.platform, account.externalId, creds, (c) => saveRefreshedSecrets(deps.pool, account.credentialsRef!, account.platform, c));
    });
  }
  throw new AppError('VALIDATION', `no connector "${account.connector}" for ${account.platform}`);
}
