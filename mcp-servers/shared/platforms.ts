// The four ad platforms as the MCP servers name them: the platform value the use cases take, a label for
// descriptions, and which server serves it (for "use meta-ads-mcp for that campaign").
import { PLATFORM_VALUES } from '../../services/common.schema.js';

export type Platform = (typeof PLATFORM_VALUES)[number];

export const PLATFORM_LABEL: Record<Platform, string> = {
  google_ads: 'Google Ads',
  meta: 'Meta (Facebook/Instagram)',
  tiktok: 'TikTok Ads',
  linkedin: 'LinkedIn Ads',
};

export const PLATFORM_SERVER: Record<Platform, string> = {
  google_ads: 'google-ads-mcp',
  meta: 'meta-ads-mcp',
  tiktok: 'tiktok-ads-mcp',
  linkedin: 'linkedin-ads-mcp',
};
