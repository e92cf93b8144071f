// MBO_HOME holds secrets (database passwords) and data (embedded Postgres, Temporal's SQLite file, logs): its
// folders are 0700 and its files 0600 whatever the umask. As root the embedded Postgres runs as the `postgres`
// user, which must still walk through MBO_HOME to its data dir: there the folders are 0711 (enter, not list).
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync, writeFileSync } from 'node:fs';

const asRoot = () => process.getuid?.() === 0;

/** Creates `dir` (and parents) if needed and makes it private (0700; 0711 as root). */
export function privateDir(dir: string): string {
  const mode = asRoot() ? 0o711 : 0o700;
  mkdirSync(dir, { recursive: true, mode }); // parents it creates get the same mode
  if (!(statSync(dir).mode & 0o1000)) chmodSync(dir, mode); // never a shared sticky folder such as /tmp

  return dir;
}

/** Writes `content` to a file only its owner can read (0600), also when the file already existed. */
export function writePrivateFile(file: string, content: string): void {
  if (existsSync(file)) chmodSync(file, 0o600); // before the secret is written, not after
  writeFileSync(file, content, { mode: 0o600 });
}

/** Opens `file` for appending (a log) as 0600, creating it if needed; returns the descriptor. */
export function openPrivateLog(file: string): number {
  const fd = openSync(file, 'a', 0o600);
  chmodSync(file, 0o600);
  return fd;
}

/** Makes an existing file private (0600); creates it empty (0600) when `create` is set and it is missing. */
export function makePrivate(file: string, create = false): void {
  if (!existsSync(file)) {
    if (!create) return;
    closeSync(openSync(file, 'a', 0o600));
  }
  chmodSync(file, 0o600);
}
