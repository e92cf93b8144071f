import { mkdtempSync, rmSync, statSync, writeFileSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePrivate, openPrivateLog, privateDir, writePrivateFile } from './private-files.js';

const base = mkdtempSync(path.join(tmpdir(), 'mbo private '));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const mode = (p: string) => statSync(p).mode & 0o777;

describe('private files', () => {
  it('folders are 0700 (0711 as root, so the postgres user can walk through), files 0600, whatever the umask', () => {
    const old = process.umask(0);
    try {
      const dir = privateDir(path.join(base, 'home', 'logs'));
      expect(mode(dir)).toBe(process.getuid?.() === 0 ? 0o711 : 0o700);
      writePrivateFile(path.join(dir, 'secret'), 'x');
      expect(mode(path.join(dir, 'secret'))).toBe(0o600);
      closeSync(openPrivateLog(path.join(dir, 'a.log')));
      expect(mode(path.join(dir, 'a.log'))).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('tightens files that already exist world-readable', () => {
    const f = path.join(base, 'old.db');
    writeFileSync(f, '', { mode: 0o644 });
    makePrivate(f);
    expect(mode(f)).toBe(0o600);
    writePrivateFile(f, 'y');
    expect(mode(f)).toBe(0o600);
    makePrivate(path.join(base, 'new.db'), true);
    expect(mode(path.join(base, 'new.db'))).toBe(0o600);
  });
});
