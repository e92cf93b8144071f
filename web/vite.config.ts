// Vite for the web app. The server bundle keeps every module outside web/ (services/, core/, db/, lib/ …) as an
// import of the source itself: the API process (run with tsx) loads them once, so the web app's loaders call the
// very same use cases, Prisma client and Temporal client as the API — no second copy.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reactRouter } from '@react-router/dev/vite';
import tailwindcss from '@tailwindcss/vite';
import { defineConfig, type Plugin } from 'vite';

const webRoot = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(webRoot, '..');

function outsideWeb(id: string, importer: string | undefined): boolean {
  const abs = id.startsWith('.') && importer ? resolve(dirname(importer), id) : id;
  if (!isAbsolute(abs) || abs.includes('/node_modules/')) return false;
  return abs.startsWith(repoRoot + '/') && !abs.startsWith(webRoot + '/');
}

/** Server build only: imports of the project's own modules stay imports, relative to web/build/server/index.js. */
function keepProjectImports(): Plugin {
  const outDir = resolve(webRoot, 'build', 'server');
  return {
    name: 'mbo-keep-project-imports',
    enforce: 'pre',
    applyToEnvironment: (env) => env.name === 'ssr',
    resolveId(id, importer) {
      if (!outsideWeb(id, importer)) return null;
      const abs = id.startsWith('.') && importer ? resolve(dirname(importer), id) : id;
      return { id: relative(outDir, abs), external: 'absolute' };
    },
  };
}

export default defineConfig(({ isSsrBuild }) => ({
  root: webRoot,
  plugins: [tailwindcss(), reactRouter(), ...(isSsrBuild ? [keepProjectImports()] : [])],
  build: { chunkSizeWarningLimit: 1500 },
  logLevel: 'warn',
}));
