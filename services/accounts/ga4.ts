// Use cases for the workspace's GA4 property, an analytics source beside the ad accounts: connect it (admin: the
// credentials are checked with one small report, then sealed like ad-account credentials), sync its daily traffic
// (analyst: sessions, key events and revenue per day × source × medium × campaign, stored idempotently), and read
// the cross-check (viewer): GA4's conversions and revenue by source/medium/campaign, and per ad platform next to
// what that platform reports for itself over the same days.
import { Ga4Client, fetchTraffic, propertyIdOnWire, type Ga4Secrets } from '../../connectors/ga4/index.js';
import { ConnectorError, RateLimitError, TransientError } from '../../connectors/errors.js';
import { addDays, daysBetween, type IsoDate } from '../../core/dates.js';
import { AppError } from '../../core/errors.js';
import { platformOfTraffic } from '../../core/traffic-channels.js';
import { ga4TrafficSums, platformReported, upsertGa4Traffic } from '../../db/ga4-traffic.js';
import { loadKeyring, open, seal } from '../../lib/secrets.js';
import { requireRole, type ServiceContext } from '../actor.js';
import { auditAs } from '../audit-trail.js';
import { parseInput } from '../input.js';
import { connectGa4Schema, ga4RangeSchema } from './ga4.schema.js';

interface SealedGa4 {
  secrets: Ga4Secrets;
  options?: { baseUrl?: string; tokenUrl?: string };
}

const MAX_DAYS = 400;

function range(input: { from?: string; to?: string }): { from: IsoDate; to: IsoDate } {
  const to = input.to ?? addDays(new Date().toISOString().slice(0, 10), -1);
  const from = input.from ?? addDays(to, -29);
  if (from > to) throw new AppError('INVALID_INPUT', '`from` must not be after `to`');
  if (daysBetween(from, to) >= MAX_DAYS) throw new AppError('INVALID_INPUT', `at most ${MAX_DAYS} days at a time`);
  return { from, to };
}

function client(ctx: ServiceContext, propertyId: string, creds: SealedGa4, onRefresh?: (s: Ga4Secrets) => Promise<void>) {
  return new Ga4Client({
    propertyId,
    secrets: creds.secrets,
    baseUrl: creds.options?.baseUrl,
    tokenUrl: creds.options?.tokenUrl,
    onSecretsRefreshed: onRefresh,
  });
}

/** A GA4 failure as the doors show it: quota → 429 (with GA4's wait), outage → 503, anything else → 422. */
const platformText = (e: unknown): never => {
  if (e instanceof RateLimitError)
    throw new AppError('RATE_LIMITED', `GA4 quota exhausted: ${e.message}`, { connectorError: e.name, retryAfterSeconds: Math.ceil(e.retryAfterMs / 1000) });
  if (e instanceof TransientError) throw new AppError('TRANSIENT', `GA4 did not answer: ${e.message}`, { connectorError: e.name });
  if (e instanceof ConnectorError) throw new AppError('VALIDATION', `GA4 refused: ${e.message}`, { connectorError: e.name });
  throw e;
};

export async function connectGa4(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'admin');
  const input = parseInput(connectGa4Schema, raw);
  const propertyId = propertyIdOnWire(input.propertyId);
  let creds: SealedGa4 = { secrets: input.secrets, options: input.options };
  // One day, one metric: proves the token reads this property and learns its currency and time zone.
  const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);
  const probe = await client(ctx, propertyId, creds, async (s) => void (creds = { ...creds, secrets: s }))
    .runReport({ metrics: [{ name: 'sessions' }], dateRanges: [{ startDate: yesterday, endDate: yesterday }], limit: 1 })
    .catch(platformText);
  const currency = probe.metadata?.currencyCode ?? null;
  const timeZone = probe.metadata?.timeZone ?? null;
  const sealed = seal(loadKeyring(ctx.app.config), JSON.stringify(creds));
  const ws = ctx.actor.workspaceId;
  const prior = await ctx.app.prisma.analyticsProperty.findUnique({ where: { workspaceId: ws } });
  const row = await ctx.app.prisma.analyticsProperty.upsert({
    where: { workspaceId: ws },
    create: { workspaceId: ws, propertyId, currency, timeZone, sealed, createdBy: ctx.actor.userId },
    update: { propertyId, currency, timeZone, sealed, updatedAt: new Date() },
  });
  await auditAs(ctx, ctx.app.prisma, {
    action: prior ? 'ga4.reconnected' : 'ga4.connected',
    entityType: 'analytics_property',
    entityId: row.id,
    after: { propertyId, currency, timeZone, secretFields: Object.keys(input.secrets) },
  });
  return { id: row.id, propertyId, currency, timeZone };
}

async function connected(ctx: ServiceContext) {
  const row = await ctx.app.prisma.analyticsProperty.findUnique({ where: { workspaceId: ctx.actor.workspaceId } });
  if (!row) throw new AppError('NOT_FOUND', 'this workspace has no GA4 property: connect one first (POST /api/v1/analytics/ga4)');
  return row;
}

/** Pulls GA4's daily traffic for the range and stores it; returns what was read and what changed. */
export async function syncGa4Traffic(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'analyst');
  const r = range(parseInput(ga4RangeSchema, raw ?? {}));
  const row = await connected(ctx);
  const keyring = loadKeyring(ctx.app.config);
  const creds = JSON.parse(open(keyring, row.sealed)) as SealedGa4;
  const onRefresh = async (secrets: Ga4Secrets) => {
    await ctx.app.prisma.analyticsProperty.update({
      where: { id: row.id },
      data: { sealed: seal(keyring, JSON.stringify({ ...creds, secrets })), updatedAt: new Date() },
    });
  };
  const started = performance.now();
  const report = await fetchTraffic(client(ctx, row.propertyId, creds, onRefresh), r).catch(platformText);
  const changed = await upsertGa4Traffic(ctx.app.pool, ctx.actor.workspaceId, report.currency ?? row.currency, report.rows);
  await ctx.app.prisma.analyticsProperty.update({
    where: { id: row.id },
    data: { lastSyncedAt: new Date(), ...(report.currency ? { currency: report.currency } : {}), ...(report.timeZone ? { timeZone: report.timeZone } : {}) },
  });
  return { propertyId: row.propertyId, ...r, rows: report.rows.length, changed, pages: report.pages, ms: Math.round(performance.now() - started) };
}

const add = (a: string, b: string) => {
  // exact decimal addition (GA4 sums are text from NUMERIC): through bigint micros
  const m = (s: string) => {
    const neg = s.startsWith('-');
    const [i, f = ''] = s.replace('-', '').split('.');
    const v = BigInt(i!) * 1_000_000n + BigInt((f + '000000').slice(0, 6));
    return neg ? -v : v;
  };
  const t = m(a) + m(b);
  const abs = t < 0n ? -t : t;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${t < 0n ? '-' : ''}${abs / 1_000_000n}${frac ? `.${frac}` : ''}`;
};

/** GA4's conversions and revenue by source/medium/campaign, and per ad platform beside the platform's own figures. */
export async function readGa4CrossCheck(ctx: ServiceContext, raw: unknown) {
  requireRole(ctx, 'viewer');
  const r = range(parseInput(ga4RangeSchema, raw ?? {}));
  const row = await connected(ctx);
  const [sums, reported] = await Promise.all([
    ga4TrafficSums(ctx.app.pool, ctx.actor.workspaceId, r.from, r.to),
    platformReported(ctx.app.pool, ctx.actor.workspaceId, r.from, r.to),
  ]);
  const byPlatform = new Map<string, { sessions: number; conversions: string; revenue: string }>();
  for (const s of sums) {
    const p = platformOfTraffic(s.source, s.medium);
    if (!p) continue;
    const t = byPlatform.get(p) ?? { sessions: 0, conversions: '0', revenue: '0' };
    byPlatform.set(p, { sessions: t.sessions + s.sessions, conversions: add(t.conversions, s.conversions), revenue: add(t.revenue, s.revenue) });
  }
  const platforms = [...new Set([...byPlatform.keys(), ...reported.map((x) => x.platform)])].sort().map((p) => ({
    platform: p,
    ga4: { ...(byPlatform.get(p) ?? { sessions: 0, conversions: '0', revenue: '0' }), currency: row.currency },
    reported: reported
      .filter((x) => x.platform === p)
      .map(({ currency, conversions, conversionValue }) => ({ currency: currency.trim(), conversions, conversionValue })),
  }));
  return {
    propertyId: row.propertyId,
    currency: row.currency,
    timeZone: row.timeZone,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    ...r,
    platforms,
    sources: sums,
  };
}
