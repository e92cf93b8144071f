// The sandbox's customer journeys with known channel effects, so that attribution can be checked against a truth.
// Each simulated user is exposed to each channel independently; exposures are ordered by the channel's typical
// funnel position (awareness channels early, search and email late) with jitter; the user then converts with
// probability Σ effect(c) over the channels seen (additive, no interactions, no conversions without a touch), so
// every conversion has exactly one causing channel and the true share of credit per channel is
//   effect(c) × users exposed to c  /  Σ over channels of the same.
// Last-touch credit is biased by construction (late channels close, early ones cause); data-driven models that
// compare exposed with unexposed users can recover the truth. Pure and deterministic by seed.
import { addDays, type IsoDate } from '../../core/dates.js';
import { rng } from './model.js';

export interface ChannelTruth {
  channel: string;
  /** Campaigns the channel's touches are spread over (platform ids). */
  campaigns: string[];
  /** Probability a user is exposed. */
  reach: number;
  /** Additive conversion probability an exposure causes. */
  effect: number;
  /** Typical funnel position, 0 (first) to 1 (last). */
  position: number;
}

export interface GeneratedTouch {
  userKey: string;
  channel: string;
  campaign: string;
  at: string;
}
export interface GeneratedConversion {
  userKey: string;
  at: string;
  value: string;
}

export interface GeneratedJourneys {
  touchpoints: GeneratedTouch[];
  conversions: GeneratedConversion[];
  /** The true share of conversions each channel caused (expected, sums to 1). */
  trueShare: Record<string, number>;
  /** The true share of conversions each campaign caused (expected, sums to 1). */
  trueCampaignShare: Record<string, number>;
}

/** The sandbox's channels: its four platforms (campaigns of the sandbox accounts) and email. */
export function sandboxChannels(prefix: string, campaignsPerChannel = 3): ChannelTruth[] {
  const ids = (platform: string) => Array.from({ length: campaignsPerChannel }, (_, i) => `${prefix}-${platform}-c${String(i + 1).padStart(2, '0')}`);
  return [
    { channel: 'tiktok', campaigns: ids('tiktok'), reach: 0.45, effect: 0.05, position: 0.1 },
    { channel: 'meta', campaigns: ids('meta'), reach: 0.5, effect: 0.08, position: 0.25 },
    { channel: 'linkedin', campaigns: ids('linkedin'), reach: 0.2, effect: 0.06, position: 0.4 },
    { channel: 'google_ads', campaigns: ids('google_ads'), reach: 0.45, effect: 0.03, position: 0.8 },
    { channel: 'email', campaigns: ['newsletter', 'winback'], reach: 0.35, effect: 0.01, position: 0.95 },
  ];
}

/**
 * `users` journeys over the 28 days before `end`. Campaign effects within a channel are equal, so the true
 * campaign share is the channel's split evenly over its campaigns' exposures (each exposure picks one campaign).
 */
export function generateJourneys(o: { seed: number; users: number; end: IsoDate; channels: ChannelTruth[]; userPrefix?: string }): GeneratedJourneys {
  const r = rng(o.seed, 'journeys', o.users, o.end);
  const start = Date.parse(`${addDays(o.end, -28)}T00:00:00Z`);
  const span = 27 * 86_400_000;
  const touchpoints: GeneratedTouch[] = [];
  const conversions: GeneratedConversion[] = [];
  const exposed: Record<string, number> = {};
  const campaignExposed: Record<string, number> = {};
  for (let u = 0; u < o.users; u++) {
    const userKey = `${o.userPrefix ?? 'u'}${String(u).padStart(6, '0')}`;
    const seen = o.channels.filter((c) => r() < c.reach);
    if (!seen.length) continue;
    const first = start + r() * span * 0.7;
    const length = span * 0.3 * r();
    const ordered = seen.map((c) => ({ c, pos: Math.min(1, Math.max(0, c.position + 0.25 * (r() - 0.5))) })).sort((a, b) => a.pos - b.pos);
    let p = 0;
    let last = first;
    for (const { c, pos } of ordered) {
      const campaign = c.campaigns[Math.floor(r() * c.campaigns.length)]!;
      last = Math.round(first + pos * length);
      touchpoints.push({ userKey, channel: c.channel, campaign, at: new Date(last).toISOString() });
      exposed[c.channel] = (exposed[c.channel] ?? 0) + 1;
      campaignExposed[campaign] = (campaignExposed[campaign] ?? 0) + c.effect;
      p += c.effect;
    }
    if (r() < p) {
      const value = (40 + 160 * r()).toFixed(2);
      conversions.push({ userKey, at: new Date(last + 3_600_000 * (1 + 24 * r())).toISOString(), value });
    }
  }
  const weight = Object.fromEntries(o.channels.map((c) => [c.channel, c.effect * (exposed[c.channel] ?? 0)]));
  const total = Object.values(weight).reduce((a, b) => a + b, 0);
  const cTotal = Object.values(campaignExposed).reduce((a, b) => a + b, 0);
  return {
    touchpoints,
    conversions,
    trueShare: Object.fromEntries(Object.entries(weight).map(([k, v]) => [k, total ? v / total : 0])),
    trueCampaignShare: Object.fromEntries(Object.entries(campaignExposed).map(([k, v]) => [k, cTotal ? v / cTotal : 0])),
  };
}
