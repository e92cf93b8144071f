// Which ad platform a GA4 session came from, by its source and medium (pure). Used to line GA4's key events and
// revenue up against what each platform reports for itself. Only paid traffic counts: google/organic is not Google
// Ads. Sources as the platforms' own auto-tagging and common UTM habits write them.
export type TrafficPlatform = 'google_ads' | 'meta' | 'tiktok' | 'linkedin';

const PAID_MEDIUM = /^(cpc|ppc|paid|paidsearch|paid[-_ ]?social|social[-_ ]?paid|cpm|cpv|display|video|paid[-_ ]?video)$/i;
const SOURCES: [RegExp, TrafficPlatform][] = [
  [/^(google|adwords|google[-_ ]?ads|youtube|dv360)$/i, 'google_ads'],
  [/^(facebook|fb|instagram|ig|meta|m\.facebook\.com|l\.facebook\.com|l\.instagram\.com|messenger|audience[-_ ]?network)$/i, 'meta'],
  [/^(tiktok|tiktok\.com|tiktok[-_ ]?ads)$/i, 'tiktok'],
  [/^(linkedin|linkedin\.com|lnkd\.in|linkedin[-_ ]?ads)$/i, 'linkedin'],
];

/** The ad platform behind a session's source/medium, or null (organic, email, referral, other networks). */
export function platformOfTraffic(source: string, medium: string): TrafficPlatform | null {
  if (!PAID_MEDIUM.test(medium.trim())) return null;
  const s = source.trim();
  for (const [re, p] of SOURCES) if (re.test(s)) return p;
  return null;
}
