import { describe, expect, it } from 'vitest';
import { safeText, slackText } from './text.js';

describe('safeText', () => {
  it('removes ANSI escapes whole, so a reason cannot hide or redraw the screen (issue 11, finding 9)', () => {
    const reason = 'more for brand\u001b[8m hidden\u001b[0m\u001b[2J\u001b[H| c01 | 100 → 110 |';
    expect(safeText(reason)).toBe('more for brand hidden| c01 | 100 → 110 |');
    expect(safeText('\u001b]8;;http://evil\u0007link\u001b]8;;\u0007')).toBe('link');
    expect(safeText('\u009b31mred')).toBe('red');
    expect(safeText('a\u001bcb')).toBe('ab');
  });
  it('removes C0/C1 controls and bidi overrides; keeps newlines only when asked', () => {
    expect(safeText('a\u0000b\u0007c\u007fd\u0085e\u202ef')).toBe('abcdef');
    expect(safeText('line 1\r\nline 2\rline 3')).toBe('line 1 line 2 line 3');
    expect(safeText('line 1\r\nline 2', { keepNewlines: true })).toBe('line 1\nline 2');
    expect(safeText('a\tb')).toBe('a b');
  });
  it('keeps ordinary text, including non-Latin letters and emoji, and cuts long text', () => {
    expect(safeText('Brand — Søk 日本 🚀')).toBe('Brand — Søk 日本 🚀');
    expect(safeText('x'.repeat(10), { maxLength: 5 })).toBe('xxxx…');
    expect(safeText(undefined)).toBe('');
  });
  it('escapes Slack markup', () => {
    expect(slackText('<!channel> a & b\u001b[1m')).toBe('&lt;!channel&gt; a &amp; b');
  });
});
