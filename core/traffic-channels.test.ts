import { describe, expect, it } from 'vitest';
import { platformOfTraffic } from './traffic-channels.js';

describe('platformOfTraffic', () => {
  it('maps paid sources to their ad platform and leaves everything else out', () => {
    expect(platformOfTraffic('google', 'cpc')).toBe('google_ads');
    expect(platformOfTraffic('facebook', 'paid')).toBe('meta');
    expect(platformOfTraffic('ig', 'paid_social')).toBe('meta');
    expect(platformOfTraffic('tiktok', 'paid')).toBe('tiktok');
    expect(platformOfTraffic('linkedin', 'cpc')).toBe('linkedin');
    expect(platformOfTraffic('google', 'organic')).toBeNull();
    expect(platformOfTraffic('newsletter', 'email')).toBeNull();
    expect(platformOfTraffic('bing', 'cpc')).toBeNull();
    expect(platformOfTraffic('(direct)', '(none)')).toBeNull();
  });
});
