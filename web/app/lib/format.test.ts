import { describe, expect, it } from 'vitest';
import { money, pct, scaleMoney } from './format.js';

describe('scaleMoney (exact: the response curve asks what-ifs at whole percentages of today’s budget)', () => {
  it('scales to the cent, half up', () => {
    expect(scaleMoney('100', 50)).toBe('50.00');
    expect(scaleMoney('123.45', 150)).toBe('185.18'); // 185.175
    expect(scaleMoney('0.01', 50)).toBe('0.01'); // 0.005
    expect(scaleMoney('80.5', 200)).toBe('161.00');
    expect(scaleMoney('19999999.99', 200)).toBe('39999999.98');
  });
  it('refuses what is not an amount', () => {
    expect(() => scaleMoney('-1', 50)).toThrow(/not an amount/);
    expect(() => scaleMoney('1e3', 50)).toThrow(/not an amount/);
  });
});

describe('display helpers', () => {
  it('money and pct', () => {
    expect(money('1234.5', 'EUR')).toBe('1,234.50 EUR');
    expect(money(null)).toBe('—');
    expect(pct(0.1234)).toBe('+12.3%');
    expect(pct(-0.05)).toBe('-5.0%');
  });
});
