// Builds the web app (web/build) when it is missing or older than its sources: `mbo up` (scripts/up.sh) and the web
// tests call this, so nobody serves a stale bundle. The server bundle imports services/ from source, so only the
// web app's own files and the browser-safe schemas it bundles (services/**/*.schema.ts, core/) count as sources.
// Run as a script: `node --import tsx web/server/ensure-build.ts`.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_BUILD, WEB_ROOT } from './mount.js';

const REPO = join(WEB_ROOT, '..');

function newest(dir: string, match: (f: string) => boolean): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'node_modules' && e.name !== 'build') t = Math.max(t, newest(p, match));
    } else if (match(p)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

export function webBuildIsStale(): boolean {
  let built: number;
  try {
    built = statSync(join(WEB_BUILD, 'server', 'index.js')).mtimeMs;
  } catch {
    return true;
  }
  const sources = Math.max(
    newest(join(WEB_ROOT, 'app'), () => true),
    newest(join(WEB_ROOT, 'public'), () => true),
    statSync(join(WEB_ROOT, 'vite.config.ts')).mtimeMs,
    statSync(join(WEB_ROOT, 'react-router.config.ts')).mtimeMs,
    newest(join(REPO, 'services'), (f) => f.endsWith('.schema.ts')),
    newest(join(REPO, 'core'), (f) => f.endsWith('.ts') && !f.endsWith('.test.ts')),
    statSync(join(REPO, 'package-lock.json')).mtimeMs,
  );
  return sources > built;
}

/** Builds when stale (one build at a time on the machine: a lock, then a second look). Returns whether it built. */
export function ensureWebBuild(log: (m: string) => void = (m) => process.stderr.write(`${m}\n`)): boolean {
  if (!webBuildIsStale()) return false;
  log('mbo: building the web app (web/build)…');
  const script = `if ${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(fileURLToPath(import.meta.url))} --check; then exec ${JSON.stringify(join(REPO, 'node_modules', '.bin', 'react-router'))} build web; fi`;
  try {
    execFileSync('flock', ['/tmp/mbo-web-build.lock', 'bash', '-c', script], { cwd: REPO, stdio: 'pipe', env: { ...process.env, NODE_ENV: 'production' } });
  } catch (e) {
    const err = e as { stderr?: Buffer; stdout?: Buffer };
    throw new Error(`the web app did not build:\n${String(err.stderr ?? '')}${String(err.stdout ?? '')}`.slice(-4000));
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--check')) process.exit(webBuildIsStale() ? 0 : 1);
  ensureWebBuild();
}
