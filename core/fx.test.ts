import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FxTable, parseEcbXml, parseFxCsv } from './fx.js';
import { formatMoney, parseMoney } from './money.js';

const fixture = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'eurofxref-hist-sample.xml'), 'utf8');

describe('ECB eurofxref XML', () => {
  it('reads every dated Cube as EUR-based rates', () => {
    const rows = parseEcbXml(fixture);
    expect(rows).toHaveLength(12);
    expect(rows).toContainEqual({ base: 'EUR', quote: 'USD', date: '2026-05-04', rate: '1.1312' });
    expect(rows).toContainEqual({ base: 'EUR', quote: 'GBP', date: '2026-04-30', rate: '0.85120' });
  });

  it('refuses a feed without rates and a malformed rate', () => {
    expect(() => parseEcbXml('<Envelope/>')).toThrow(/no rates found/);
    expect(() => parseEcbXml('<Cube time="2026-05-01"><Cube currency="USD" rate="1,12"/></Cube>')).toThrow(/not a positive decimal rate/);
    expect(() => parseEcbXml('<Cube time="2026-02-30"><Cube currency="USD" rate="1.1"/></Cube>')).toThrow(/not a date/);
  });
});

describe('FX CSV', () => {
  it('reads the long form and ECB’s wide download (N/A skipped)', () => {
    expect(parseFxCsv('date,base,quote,rate\n2026-05-01,usd,cad,1.3791\n')).toEqual([{ base: 'USD', quote: 'CAD', date: '2026-05-01', rate: '1.3791' }]);
    const wide = parseFxCsv('Date, USD, JPY, CYP,\n2026-05-04, 1.1312, 163.45, N/A,\n2026-05-01, 1.1290, 162.98, N/A,\n');
    expect(wide).toHaveLength(4);
    expect(wide[0]).toEqual({ base: 'EUR', quote: 'USD', date: '2026-05-04', rate: '1.1312' });
  });

  it('names the line of a bad row', () => {
    expect(() => parseFxCsv('date,base,quote,rate\n2026-05-01,USD,CAD,abc\n')).toThrow(/line 2/);
  });
});

describe('FxTable', () => {
  const fx = new FxTable(parseEcbXml(fixture));
  const conv = (amount: string, from: string, to: string, date: string) => formatMoney(fx.convert(parseMoney(amount), from, to, date), 6);

  it('converts with the rate of the day: direct, inverse and cross through the base', () => {
    expect(conv('100', 'EUR', 'USD', '2026-05-04')).toBe('113.120000');
    expect(conv('113.12', 'USD', 'EUR', '2026-05-04')).toBe('100.000000');
    // USD → GBP through EUR: 100 × 0.85015 / 1.1312, rounded once
    expect(conv('100', 'USD', 'GBP', '2026-05-04')).toBe('75.154703');
    expect(conv('1000', 'JPY', 'HUF', '2026-05-01')).toBe('2485.581053');
  });

  it('uses the latest rate before a day without one (weekend), within maxStaleDays', () => {
    // 2026-05-02/03 is a weekend: Friday 2026-05-01's rate applies
    expect(conv('100', 'EUR', 'USD', '2026-05-03')).toBe('112.900000');
    expect(() => conv('100', 'EUR', 'USD', '2026-05-20')).toThrow(/no exchange rate EUR→USD for 2026-05-20/);
  });

  it('never invents a rate: an unknown pair or a day before the first rate is an error naming the pair and day', () => {
    expect(() => conv('1', 'USD', 'CHF', '2026-05-04')).toThrow(/no exchange rate USD→CHF for 2026-05-04/);
    expect(() => conv('1', 'EUR', 'USD', '2026-04-01')).toThrow(/EUR→USD for 2026-04-01/);
    expect(conv('5', 'CHF', 'CHF', '2026-01-01')).toBe('5.000000');
  });

  it('is exact: summing converted cents equals converting per day, no float drift', () => {
    let total = 0n;
    for (let i = 0; i < 1000; i++) total += fx.convert(parseMoney('0.10'), 'EUR', 'USD', '2026-05-04');
    expect(formatMoney(total, 6)).toBe('113.120000');
  });
});
