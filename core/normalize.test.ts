import { describe, expect, it } from 'vitest';
import {
  decimalToMetaMinor,
  localDate,
  metaMinorToDecimal,
  metricDefinitionsMarkdown,
  microsToDecimal,
  normalizeGoogleAdsRow,
  normalizeLinkedInElement,
  normalizeMetaInsight,
  normalizeTikTokRow,
  platformDay,
} from './normalize.js';

describe('money units', () => {
  it('Google micros → exact decimals, int64 strings included', () => {
    expect(microsToDecimal('12345678')).toBe('12.345678');
    expect(microsToDecimal(0)).toBe('0.000000');
    expect(microsToDecimal('9007199254740993000')).toBe('9007199254740.993000'); // beyond 2^53: still exact
    expect(() => microsToDecimal('1.5')).toThrow(/micros/);
  });

  it('Meta minor units follow the currency offset (100, or 1 for JPY, KRW, HUF …) both ways', () => {
    expect(metaMinorToDecimal('2550', 'USD')).toBe('25.500000');
    expect(metaMinorToDecimal('2550', 'JPY')).toBe('2550.000000');
    expect(metaMinorToDecimal(1000, 'huf')).toBe('1000.000000');
    expect(decimalToMetaMinor('25.50', 'EUR')).toBe('2550');
    expect(decimalToMetaMinor('5000', 'KRW')).toBe('5000');
    expect(() => decimalToMetaMinor('10.5', 'JPY')).toThrow(/finer than Meta accepts/);
    expect(() => decimalToMetaMinor('10.005', 'USD')).toThrow(/finer/);
  });
});

describe('dates', () => {
  it('reads the platforms’ day labels and refuses impossible days', () => {
    expect(platformDay('2026-05-01 00:00:00')).toBe('2026-05-01');
    expect(platformDay('20260501')).toBe('2026-05-01');
    expect(() => platformDay('2026-02-30')).toThrow(/not a report day/);
    expect(() => platformDay('2026-05-01 13:00:00')).toThrow(/not a report day/);
  });

  it('puts an instant on the account’s calendar', () => {
    expect(localDate('2026-05-01T03:30:00Z', 'America/Los_Angeles')).toBe('2026-04-30');
    expect(localDate('2026-05-01T23:30:00Z', 'Asia/Tokyo')).toBe('2026-05-02');
    expect(localDate(new Date('2026-05-01T12:00:00Z'), 'UTC')).toBe('2026-05-01');
  });
});

describe('platform rows → MBO metrics', () => {
  it('Google Ads: REST camelCase with int64 strings and the package’s snake_case numbers agree', () => {
    const rest = normalizeGoogleAdsRow({
      campaign: { id: '123' },
      segments: { date: '2026-05-01' },
      metrics: { costMicros: '4560000', impressions: '1000', clicks: '25', conversions: 3.3333333333, conversionsValue: 99.99 },
    });
    const pkg = normalizeGoogleAdsRow({
      campaign: { id: 123 },
      segments: { date: '2026-05-01' },
      metrics: { cost_micros: 4560000, impressions: 1000, clicks: 25, conversions: 3.3333333333, conversions_value: 99.99 },
    });
    expect(rest).toEqual(pkg);
    expect(rest).toEqual({
      campaignExternalId: '123',
      date: '2026-05-01',
      impressions: 1000,
      clicks: 25,
      spend: '4.560000',
      conversions: '3.3333',
      conversionValue: '99.990000',
    });
  });

  it('Meta: the first of the account’s conversion action types present counts (overlapping types never add up)', () => {
    const row = {
      campaign_id: '238',
      date_start: '2026-05-01',
      spend: '12.34',
      impressions: '5000',
      inline_link_clicks: '40',
      actions: [
        { action_type: 'link_click', value: '40' },
        { action_type: 'offsite_conversion.fb_pixel_purchase', value: '2' },
        { action_type: 'purchase', value: '3' },
        { action_type: 'omni_purchase', value: '3' },
        { action_type: 'lead', value: '7' },
      ],
      action_values: [
        { action_type: 'purchase', value: '150.5' },
        { action_type: 'omni_purchase', value: '150.5' },
      ],
    };
    expect(normalizeMetaInsight(row)).toMatchObject({ conversions: '3.0000', conversionValue: '150.500000', spend: '12.340000', clicks: 40 });
    expect(normalizeMetaInsight(row, { conversionActionTypes: ['offsite_conversion.fb_pixel_purchase', 'omni_purchase'] }).conversions).toBe('2.0000');
    expect(normalizeMetaInsight(row, { conversionActionTypes: ['lead'], revenueActionTypes: [] })).toMatchObject({
      conversions: '7.0000',
      conversionValue: '0.000000',
    });
    expect(normalizeMetaInsight({ campaign_id: '1', date_start: '2026-05-02' })).toMatchObject({ impressions: 0, spend: '0.000000', conversions: '0.0000' });
  });

  it('TikTok: string metrics, stat_time_day, configurable conversion and value metrics', () => {
    const row = {
      dimensions: { campaign_id: '170', stat_time_day: '2026-05-01 00:00:00' },
      metrics: { spend: '20.50', impressions: '800', clicks: '12', conversion: '2', total_complete_payment_rate: '64.00', complete_payment: '1' },
    };
    expect(normalizeTikTokRow(row)).toEqual({
      campaignExternalId: '170',
      date: '2026-05-01',
      impressions: 800,
      clicks: 12,
      spend: '20.500000',
      conversions: '2.0000',
      conversionValue: '64.000000',
    });
    expect(normalizeTikTokRow(row, { conversionMetric: 'complete_payment' }).conversions).toBe('1.0000');
    expect(() => normalizeTikTokRow({ ...row, metrics: { ...row.metrics, spend: '-' } })).toThrow(/spend is not a decimal/);
  });

  it('LinkedIn: campaign URN, {year, month, day} and local-currency strings', () => {
    expect(
      normalizeLinkedInElement({
        pivotValues: ['urn:li:sponsoredCampaign:5551'],
        dateRange: { start: { year: 2026, month: 5, day: 1 } },
        costInLocalCurrency: '77.123456789',
        impressions: 900,
        landingPageClicks: 9,
        externalWebsiteConversions: 1,
        conversionValueInLocalCurrency: '250',
      }),
    ).toEqual({
      campaignExternalId: '5551',
      date: '2026-05-01',
      impressions: 900,
      clicks: 9,
      spend: '77.123457',
      conversions: '1.0000',
      conversionValue: '250.000000',
    });
    expect(() => normalizeLinkedInElement({ pivotValues: ['urn:li:sponsoredCreative:1'], dateRange: { start: { year: 2026, month: 5, day: 1 } } })).toThrow(
      /campaign URN/,
    );
  });

  it('documents every metric for every platform', () => {
    const md = metricDefinitionsMarkdown();
    for (const m of ['spend', 'revenue', 'conversions', 'clicks', 'impressions', 'date']) expect(md).toContain(`| ${m} |`);
    expect(md.split('\n')).toHaveLength(8);
  });
});
