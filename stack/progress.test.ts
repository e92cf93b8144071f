import { describe, expect, it } from 'vitest';
import { shellQuoted, shown, whileWaiting } from './progress.js';

describe('up progress', () => {
  it('says what it waits for with the elapsed time, and stops saying it when done', async () => {
    const notes: string[] = [];
    const v = await whileWaiting(
      (m) => notes.push(m),
      'the database',
      () => new Promise((r) => setTimeout(() => r(7), 260)),
      100,
    );
    expect(v).toBe(7);
    expect(notes.length).toBeGreaterThanOrEqual(1);
    expect(notes[0]).toMatch(/^waiting for the database… \d+ s$/);
    const n = notes.length;
    await new Promise((r) => setTimeout(r, 250));
    expect(notes.length).toBe(n);
  });

  it('paths as a person types them: relative under the current folder, quoted for the shell when needed', () => {
    expect(shown('/work/main/.mbo/keys/a.key', '/work/main')).toBe('.mbo/keys/a.key');
    expect(shown('/elsewhere/keys/a.key', '/work/main')).toBe('/elsewhere/keys/a.key');
    expect(shellQuoted('.mbo/keys/alex.approver.key')).toBe('.mbo/keys/alex.approver.key');
    expect(shellQuoted(".mbo/it's here $HOME/a.key")).toBe(`'.mbo/it'\\''s here $HOME/a.key'`);
  });
});
